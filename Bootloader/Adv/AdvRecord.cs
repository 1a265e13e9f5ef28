using System.Collections.Immutable;

namespace Webc.BootSafe.Bootloader.Adv;

/// <summary>One tag-length-value record of the ADV. Equality is by content.</summary>
public sealed record AdvRecord(byte Tag, ImmutableArray<byte> Value)
{
    public ImmutableArray<byte> Value { get; init; } = Value.IsDefault ? [] : Value;

    /// <summary>Bytes this record takes in the 500-byte record area: tag, length, value.</summary>
    public int EncodedLength => 2 + Value.Length;

    public bool Equals(AdvRecord? other) =>
        other is not null && Tag == other.Tag && Value.AsSpan().SequenceEqual(other.Value.AsSpan());

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Tag);
        hash.AddBytes(Value.AsSpan());
        return hash.ToHashCode();
    }

    public override string ToString() => $"{Tag}:{Convert.ToHexString(Value.AsSpan())}";
}
