using System.Buffers.Binary;
using System.Collections.Immutable;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Bootloader.Adv;

/// <summary>
/// The on-disk ADV: two identical 512-byte copies, each <c>magic1, checksum, 500 bytes of records,
/// magic3</c> (little-endian). A copy is valid when both magics match and its 126 words from the
/// checksum through the records sum to <see cref="ChecksumTarget"/>, as syslinux's adv_consistent checks.
/// </summary>
public static class AdvCodec
{
    /// <summary>Both copies: the last 1024 bytes of ldlinux.sys.</summary>
    public const int Size = 2 * CopySize;

    public const int CopySize = 512;

    public const uint HeadMagic = 0x5a2d2fa5;

    public const uint ChecksumTarget = 0xa3041767;

    public const uint TailMagic = 0xdd28bf64;

    private const int ChecksumOffset = 4;

    private const int RecordsOffset = 8;

    private const int TailOffset = CopySize - 4;

    /// <summary>Reads the ADV the way ldlinux does: copy 0 if valid, else copy 1, else empty.</summary>
    public static AdvReadResult Decode(ReadOnlySpan<byte> last1024)
    {
        if (last1024.Length != Size)
        {
            throw new ArgumentException($"an ADV is {Size} bytes, not {last1024.Length}", nameof(last1024));
        }

        var copy0 = last1024[..CopySize];
        var copy1 = last1024[CopySize..];
        var status0 = IsConsistent(copy0) ? AdvCopyStatus.Valid : AdvCopyStatus.Invalid;
        var status1 = IsConsistent(copy1) ? AdvCopyStatus.Valid : AdvCopyStatus.Invalid;
        var adv = status0 == AdvCopyStatus.Valid ? ParseRecords(copy0)
            : status1 == AdvCopyStatus.Valid ? ParseRecords(copy1)
            : Adv.Empty;
        return new AdvReadResult(adv, status0, status1);
    }

    /// <summary>Both copies, 1024 bytes, byte-for-byte what <c>extlinux</c> writes for the same records.</summary>
    public static byte[] Encode(Adv adv)
    {
        ArgumentNullException.ThrowIfNull(adv);
        var bytes = new byte[Size];
        var copy = bytes.AsSpan(0, CopySize);
        var at = RecordsOffset;
        foreach (var record in adv.Records)
        {
            copy[at++] = record.Tag;
            copy[at++] = (byte)record.Value.Length;
            record.Value.AsSpan().CopyTo(copy[at..]);
            at += record.Value.Length;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(copy, HeadMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(copy[TailOffset..], TailMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(copy[ChecksumOffset..], ChecksumTarget - SumWords(copy[RecordsOffset..TailOffset]));
        copy.CopyTo(bytes.AsSpan(CopySize));
        return bytes;
    }

    /// <summary>Both magics present and the checksum rule holds.</summary>
    public static bool IsConsistent(ReadOnlySpan<byte> copy)
    {
        if (copy.Length != CopySize)
        {
            throw new ArgumentException($"an ADV copy is {CopySize} bytes, not {copy.Length}", nameof(copy));
        }

        return BinaryPrimitives.ReadUInt32LittleEndian(copy) == HeadMagic
            && BinaryPrimitives.ReadUInt32LittleEndian(copy[TailOffset..]) == TailMagic
            && SumWords(copy[ChecksumOffset..TailOffset]) == ChecksumTarget;
    }

    /// <summary>
    /// The records of a valid copy as syslinux_getadv walks them: up to tag 0 or the end of the
    /// area; a record whose length runs past the area is dropped (syslinux ignores it and overwrites
    /// it on the next write).
    /// </summary>
    private static Adv ParseRecords(ReadOnlySpan<byte> copy)
    {
        var area = copy[RecordsOffset..TailOffset];
        var records = ImmutableArray.CreateBuilder<AdvRecord>();
        var at = 0;
        while (area.Length - at >= 2)
        {
            var tag = area[at];
            var length = area[at + 1];
            if (tag == AdvTags.End || area.Length - at - 2 < length)
            {
                break;
            }

            records.Add(new AdvRecord(tag, [.. area.Slice(at + 2, length)]));
            at += 2 + length;
        }

        try
        {
            return new Adv(records.ToImmutable());
        }
        catch (BadInputException e)
        {
            throw new InvalidOperationException("records parsed from 500 bytes always fit", e);
        }
    }

    private static uint SumWords(ReadOnlySpan<byte> bytes)
    {
        var sum = 0u;
        for (var i = 0; i + 4 <= bytes.Length; i += 4)
        {
            sum += BinaryPrimitives.ReadUInt32LittleEndian(bytes[i..]);
        }

        return sum;
    }
}
