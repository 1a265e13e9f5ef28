namespace Webc.BootSafe.Specs.Support;

/// <summary>CRC-32 (reflected, 0xEDB88320) as gzip and a pack index's CRC column use it, bit by bit: specs only.</summary>
public static class Crc32
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xffffffffu;
        foreach (var d in data)
        {
            crc ^= d;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
