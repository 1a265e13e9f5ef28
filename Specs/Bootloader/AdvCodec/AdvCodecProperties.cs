using System.Buffers.Binary;
using FsCheck.Xunit;
using Webc.BootSafe.Bootloader.Adv;

namespace Webc.BootSafe.Specs.Bootloader.AdvCodecSpecs;

[Properties(Arbitrary = [typeof(AdvArbitraries)], MaxTest = 300)]
public sealed class AdvCodecProperties
{
    [Property]
    public bool Encode_then_decode_gives_the_same_records_from_copy_0(Adv adv)
    {
        var read = AdvCodec.Decode(AdvCodec.Encode(adv));
        return read.Adv == adv && read.Copy0 == AdvCopyStatus.Valid && read.Copy1 == AdvCopyStatus.Valid && read.SourceCopy == 0;
    }

    [Property]
    public bool Each_copy_has_both_magics_and_its_words_sum_to_the_checksum_target(Adv adv)
    {
        var bytes = AdvCodec.Encode(adv);
        return bytes.Length == 1024
            && bytes.AsSpan(0, 512).SequenceEqual(bytes.AsSpan(512))
            && BinaryPrimitives.ReadUInt32LittleEndian(bytes) == 0x5a2d2fa5
            && BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(508)) == 0xdd28bf64
            && WordSum(bytes.AsSpan(4, 504)) == 0xa3041767;
    }

    [Property]
    public bool Record_area_is_the_records_then_zeros(Adv adv)
    {
        var area = AdvCodec.Encode(adv).AsSpan(8, 500);
        var expected = adv.Records.SelectMany(r => new[] { r.Tag, (byte)r.Value.Length }.Concat(r.Value)).ToArray();
        return area[..expected.Length].SequenceEqual(expected) && !area[expected.Length..].ContainsAnyExcept((byte)0);
    }

    [Property]
    public bool A_single_corrupt_byte_in_copy_0_falls_back_to_copy_1(Adv older, Adv newer, Corruption corruption)
    {
        // Torn write: copy 0 already has the new value but is damaged, copy 1 still has the old one.
        var bytes = AdvCodec.Encode(newer);
        AdvCodec.Encode(older).AsSpan(512).CopyTo(bytes.AsSpan(512));
        corruption.Apply(bytes.AsSpan(0, 512));
        var read = AdvCodec.Decode(bytes);
        return read.Copy0 == AdvCopyStatus.Invalid && read.Copy1 == AdvCopyStatus.Valid && read.SourceCopy == 1 && read.Adv == older;
    }

    [Property]
    public bool A_valid_copy_0_wins_over_a_different_or_corrupt_copy_1(Adv first, Adv second, Corruption corruption, bool corrupt)
    {
        var bytes = AdvCodec.Encode(first);
        AdvCodec.Encode(second).AsSpan(512).CopyTo(bytes.AsSpan(512));
        if (corrupt)
        {
            corruption.Apply(bytes.AsSpan(512));
        }

        var read = AdvCodec.Decode(bytes);
        return read.Adv == first && read.SourceCopy == 0 && read.Copy1 == (corrupt ? AdvCopyStatus.Invalid : AdvCopyStatus.Valid);
    }

    [Property]
    public bool Both_copies_corrupt_reads_as_empty_and_says_so(Adv adv, Corruption first, Corruption second)
    {
        var bytes = AdvCodec.Encode(adv);
        first.Apply(bytes.AsSpan(0, 512));
        second.Apply(bytes.AsSpan(512));
        var read = AdvCodec.Decode(bytes);
        return read.BothInvalid && read.SourceCopy is null && read.Adv == Adv.Empty;
    }

    [Property]
    public bool Decoding_any_1024_bytes_never_throws_and_reencodes_to_a_valid_adv(byte[] noise)
    {
        var bytes = new byte[1024];
        noise.AsSpan(0, Math.Min(noise.Length, 1024)).CopyTo(bytes);
        var read = AdvCodec.Decode(bytes);
        return AdvCodec.Decode(AdvCodec.Encode(read.Adv)).Adv == read.Adv;
    }

    [Property]
    public bool Setting_a_tag_replaces_all_its_records_at_the_end_and_keeps_the_others_in_order(Adv adv, byte tag, byte[] value)
    {
        if (tag == 0 || value.Length > Adv.MaxValueLength
            || adv.Records.Where(r => r.Tag != tag).Sum(r => r.EncodedLength) + 2 + value.Length > Adv.RecordAreaLength)
        {
            return true;
        }

        var next = adv.With(tag, value);
        var others = adv.Records.Where(r => r.Tag != tag);
        var expected = value.Length == 0 ? others : others.Append(new AdvRecord(tag, [.. value]));
        return next.Records.SequenceEqual(expected);
    }

    private static uint WordSum(ReadOnlySpan<byte> bytes)
    {
        var sum = 0u;
        for (var i = 0; i < bytes.Length; i += 4)
        {
            sum += BinaryPrimitives.ReadUInt32LittleEndian(bytes[i..]);
        }

        return sum;
    }
}
