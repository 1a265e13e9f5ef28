namespace Webc.BootSafe.Git;

/// <summary>Git's delta format: two sizes, then copy-from-base and insert-literal instructions.</summary>
public static class Delta
{
    /// <summary>Reads the base and result sizes from the start of a delta.</summary>
    public static (long BaseSize, long ResultSize, int HeaderLength) ReadSizes(ReadOnlySpan<byte> delta)
    {
        var pos = 0;
        var baseSize = ReadVarint(delta, ref pos);
        var resultSize = ReadVarint(delta, ref pos);
        return (baseSize, resultSize, pos);
    }

    public static byte[] Apply(ReadOnlySpan<byte> baseData, ReadOnlySpan<byte> delta)
    {
        var result = new byte[ResultLength(baseData, delta)];
        ApplyInto(baseData, delta, result);
        return result;
    }

    /// <summary>The length of what <paramref name="delta"/> builds, once it is known to be a delta of <paramref name="baseData"/>.</summary>
    public static int ResultLength(ReadOnlySpan<byte> baseData, ReadOnlySpan<byte> delta)
    {
        var (baseSize, resultSize, _) = ReadSizes(delta);
        if (baseSize != baseData.Length)
        {
            throw new CorruptRepositoryException($"delta expects a {baseSize}-byte base, got {baseData.Length}");
        }

        if (resultSize > Array.MaxLength)
        {
            throw new CorruptRepositoryException($"delta builds {resultSize} bytes, too large to hold in memory");
        }

        return (int)resultSize;
    }

    /// <summary>Builds into <paramref name="result"/>, exactly <see cref="ResultLength"/> bytes long (a reused buffer for a link in a chain).</summary>
    public static void ApplyInto(ReadOnlySpan<byte> baseData, ReadOnlySpan<byte> delta, Span<byte> result)
    {
        var (_, _, pos) = ReadSizes(delta);
        var outPos = 0;
        while (pos < delta.Length)
        {
            var cmd = delta[pos++];
            if ((cmd & 0x80) != 0)
            {
                long offset = 0;
                long size = 0;
                for (var i = 0; i < 4; i++)
                {
                    if ((cmd & (1 << i)) != 0)
                    {
                        offset |= (long)delta[pos++] << (8 * i);
                    }
                }

                for (var i = 0; i < 3; i++)
                {
                    if ((cmd & (0x10 << i)) != 0)
                    {
                        size |= (long)delta[pos++] << (8 * i);
                    }
                }

                if (size == 0)
                {
                    size = 0x10000;
                }

                if (offset + size > baseData.Length || outPos + size > result.Length)
                {
                    throw new CorruptRepositoryException("delta copies outside its base or result");
                }

                baseData.Slice((int)offset, (int)size).CopyTo(result[outPos..]);
                outPos += (int)size;
            }
            else if (cmd != 0)
            {
                if (pos + cmd > delta.Length || outPos + cmd > result.Length)
                {
                    throw new CorruptRepositoryException("delta inserts past its end");
                }

                delta.Slice(pos, cmd).CopyTo(result[outPos..]);
                pos += cmd;
                outPos += cmd;
            }
            else
            {
                throw new CorruptRepositoryException("delta has the reserved instruction 0");
            }
        }

        if (outPos != result.Length)
        {
            throw new CorruptRepositoryException($"delta produced {outPos} bytes, expected {result.Length}");
        }
    }

    private static long ReadVarint(ReadOnlySpan<byte> data, ref int pos)
    {
        long value = 0;
        var shift = 0;
        byte b;
        do
        {
            if (pos >= data.Length)
            {
                throw new CorruptRepositoryException("delta header is truncated");
            }

            b = data[pos++];
            value |= (long)(b & 0x7f) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        return value;
    }
}
