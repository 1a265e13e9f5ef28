using System.Buffers.Binary;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Bootloader.Adv;

/// <summary>
/// The checks that a file is an installed extlinux boot image (ldlinux.sys) whose last two sectors
/// are the ADV: its patch area (magic 0x3eb202fe) says 2 ADV sectors after its data sectors, the
/// size matches, and the data words sum to the magic as the installer's checksum makes them.
/// </summary>
public sealed record ExtlinuxBootImage(
    long Size, int PatchAreaOffset, int DataSectors, int AdvSectors, ulong AdvSector0, ulong AdvSector1)
{
    public const uint PatchMagic = 0x3eb202fe;

    public const int SectorSize = 512;

    // struct patch_area: magic, instance, data_sectors u16, adv_sectors u16, dwords, checksum,
    // maxtransfer u16, epaoffset u16; the extended patch area starts with advptroff u16.
    private const int PatchAreaLength = 24;

    /// <summary>Parses and checks <paramref name="image"/>; throws <see cref="BadInputException"/> naming <paramref name="path"/>.</summary>
    public static ExtlinuxBootImage Parse(ReadOnlySpan<byte> image, string path)
    {
        BadInputException Bad(string what) =>
            new($"{path} is not an installed extlinux boot image: {what} (reinstall with extlinux --install)");

        if (image.Length < SectorSize + AdvCodec.Size || image.Length % SectorSize != 0)
        {
            throw Bad($"size {image.Length} is not a whole number of 512-byte sectors of at least {SectorSize + AdvCodec.Size}");
        }

        var patch = FindPatchArea(image);
        if (patch < 0)
        {
            throw Bad($"no patch area (magic 0x{PatchMagic:x8})");
        }

        var area = image[patch..];
        int dataSectors = BinaryPrimitives.ReadUInt16LittleEndian(area[8..]);
        int advSectors = BinaryPrimitives.ReadUInt16LittleEndian(area[10..]);
        var dwords = BinaryPrimitives.ReadUInt32LittleEndian(area[12..]);
        int epaOffset = BinaryPrimitives.ReadUInt16LittleEndian(area[22..]);
        if (advSectors != 2)
        {
            throw Bad($"patch area says {advSectors} ADV sectors, not 2");
        }

        if ((long)(dataSectors + advSectors) * SectorSize != image.Length)
        {
            throw Bad($"patch area says {dataSectors}+{advSectors} sectors but the file has {image.Length / SectorSize}");
        }

        if ((long)dwords * 4 != (long)dataSectors * SectorSize || WordSum(image[..(dataSectors * SectorSize)]) != PatchMagic)
        {
            throw Bad("its checksum does not match (the file was changed after installation)");
        }

        if (epaOffset + 2 > image.Length)
        {
            throw Bad($"extended patch area offset {epaOffset} lies outside the file");
        }

        int advPointers = BinaryPrimitives.ReadUInt16LittleEndian(image[epaOffset..]);
        if (advPointers + 16 > image.Length)
        {
            throw Bad($"ADV sector pointers at {advPointers} lie outside the file");
        }

        return new ExtlinuxBootImage(
            image.Length, patch, dataSectors, advSectors,
            BinaryPrimitives.ReadUInt64LittleEndian(image[advPointers..]),
            BinaryPrimitives.ReadUInt64LittleEndian(image[(advPointers + 8)..]));
    }

    /// <summary>Where the two ADV copies start in the file.</summary>
    public long AdvOffset => Size - AdvCodec.Size;

    private static int FindPatchArea(ReadOnlySpan<byte> image)
    {
        for (var at = 0; at + PatchAreaLength <= image.Length; at += 4)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(image[at..]) == PatchMagic)
            {
                return at;
            }
        }

        return -1;
    }

    private static uint WordSum(ReadOnlySpan<byte> bytes)
    {
        var sum = 0u;
        for (var at = 0; at + 4 <= bytes.Length; at += 4)
        {
            sum += BinaryPrimitives.ReadUInt32LittleEndian(bytes[at..]);
        }

        return sum;
    }
}
