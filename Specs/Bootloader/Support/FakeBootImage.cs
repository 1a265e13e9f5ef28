using System.Buffers.Binary;
using Webc.BootSafe.Bootloader.Adv;

namespace Webc.BootSafe.Specs.Bootloader.Support;

/// <summary>
/// A stand-in ldlinux.sys for simulated media: the installed layout the ADV writer checks (patch area
/// with 2 ADV sectors, installer checksum, ADV sector pointers) and two empty ADV copies, no boot
/// code. Real installs are exercised by the QEMU specs.
/// </summary>
public static class FakeBootImage
{
    public static byte[] Create(int dataSectors = 8)
    {
        var size = (dataSectors + 2) * 512;
        var image = new byte[size];
        const int patch = 64;
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(patch), ExtlinuxBootImage.PatchMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(patch + 8), (ushort)dataSectors);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(patch + 10), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(patch + 12), (uint)(dataSectors * 128));
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(patch + 26), 128);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(128), 160);
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(160), 4096);
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(168), 4097);
        var sum = 0u;
        for (var at = 0; at < dataSectors * 512; at += 4)
        {
            sum += BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(at));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(patch + 16), ExtlinuxBootImage.PatchMagic - sum);
        AdvCodec.Encode(Webc.BootSafe.Bootloader.Adv.Adv.Empty).CopyTo(image, size - AdvCodec.Size);
        return image;
    }
}
