using System.Buffers.Binary;

namespace Webc.BootSafe.Git;

/// <summary>A SHA-1 object name, held as three words so it can be a cheap dictionary key.</summary>
public readonly struct ObjectId : IEquatable<ObjectId>
{
    public const int Size = 20;
    public const int HexSize = 40;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly uint _c;

    private ObjectId(ulong a, ulong b, uint c)
    {
        _a = a;
        _b = b;
        _c = c;
    }

    public static ObjectId FromRaw(ReadOnlySpan<byte> raw) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(raw),
            BinaryPrimitives.ReadUInt64BigEndian(raw[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(raw[16..]));

    public void CopyTo(Span<byte> raw)
    {
        BinaryPrimitives.WriteUInt64BigEndian(raw, _a);
        BinaryPrimitives.WriteUInt64BigEndian(raw[8..], _b);
        BinaryPrimitives.WriteUInt32BigEndian(raw[16..], _c);
    }

    public static bool TryParse(ReadOnlySpan<char> hex, out ObjectId id)
    {
        id = default;
        if (hex.Length != HexSize)
        {
            return false;
        }

        Span<byte> raw = stackalloc byte[Size];
        if (Convert.FromHexString(hex, raw, out _, out var written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            return false;
        }

        id = FromRaw(raw);
        return true;
    }

    public static bool IsHex(ReadOnlySpan<char> s)
    {
        foreach (var ch in s)
        {
            if (!char.IsAsciiHexDigit(ch))
            {
                return false;
            }
        }

        return s.Length > 0;
    }

    public override string ToString()
    {
        Span<byte> raw = stackalloc byte[Size];
        CopyTo(raw);
        return Convert.ToHexStringLower(raw);
    }

    public bool Equals(ObjectId other) => _a == other._a && _b == other._b && _c == other._c;

    public override bool Equals(object? obj) => obj is ObjectId other && Equals(other);

    public override int GetHashCode() => (int)_a ^ (int)(_a >> 32);

    public static bool operator ==(ObjectId left, ObjectId right) => left.Equals(right);

    public static bool operator !=(ObjectId left, ObjectId right) => !left.Equals(right);
}
