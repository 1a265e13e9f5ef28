using System.Buffers.Binary;

namespace Webc.BootSafe.Fetch.Verification;

/// <summary>The SSH wire encoding (RFC 4251): big-endian uint32 lengths before byte strings.</summary>
internal ref struct SshWire(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public readonly bool AtEnd => _rest.IsEmpty;

    public ReadOnlySpan<byte> Bytes(int count)
    {
        if (count < 0 || count > _rest.Length)
        {
            throw new FormatException("truncated SSH structure");
        }

        var value = _rest[..count];
        _rest = _rest[count..];
        return value;
    }

    public uint UInt32() => BinaryPrimitives.ReadUInt32BigEndian(Bytes(4));

    public ReadOnlySpan<byte> String()
    {
        var length = UInt32();
        return length > int.MaxValue ? throw new FormatException("SSH string too long") : Bytes((int)length);
    }

    public static void WriteString(Stream to, ReadOnlySpan<byte> value)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)value.Length);
        to.Write(length);
        to.Write(value);
    }
}
