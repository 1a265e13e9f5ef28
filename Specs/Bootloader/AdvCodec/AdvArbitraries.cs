using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Webc.BootSafe.Bootloader.Adv;

namespace Webc.BootSafe.Specs.Bootloader.AdvCodecSpecs;

/// <summary>Random ADVs that fit (any tags 1..255, any bytes), and corruptions of one byte.</summary>
public static class AdvArbitraries
{
    public static Gen<AdvRecord> Record { get; } =
        from tag in Gen.Choose(1, 255)
        from length in Gen.Frequency((3, Gen.Choose(0, 16)), (1, Gen.Choose(0, Adv.MaxValueLength)))
        from value in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), length)
        select new AdvRecord((byte)tag, [.. value]);

    /// <summary>Records in generated order, cut where the next one would overflow the 500-byte area.</summary>
    public static Gen<Adv> AnyAdv { get; } =
        from records in Gen.ListOf(Record)
        select new Adv(Fit(records));

    public static Arbitrary<Adv> AdvArbitrary() => AnyAdv.ToArbitrary();

    public static Arbitrary<Corruption> CorruptionArbitrary() =>
        (from offset in Gen.Choose(0, AdvCodec.CopySize - 1)
         from flip in Gen.Choose(1, 255)
         select new Corruption(offset, (byte)flip)).ToArbitrary();

    private static ImmutableArray<AdvRecord> Fit(IEnumerable<AdvRecord> records)
    {
        var kept = ImmutableArray.CreateBuilder<AdvRecord>();
        var total = 0;
        foreach (var record in records)
        {
            if (total + record.EncodedLength > Adv.RecordAreaLength)
            {
                break;
            }

            total += record.EncodedLength;
            kept.Add(record);
        }

        return kept.ToImmutable();
    }
}

/// <summary>XOR of one byte of a 512-byte copy with a non-zero mask.</summary>
public sealed record Corruption(int Offset, byte Flip)
{
    public void Apply(Span<byte> copy) => copy[Offset] ^= Flip;
}
