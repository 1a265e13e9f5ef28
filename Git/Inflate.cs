using System.IO.Compression;
using Microsoft.Win32.SafeHandles;

namespace Webc.BootSafe.Git;

/// <summary>zlib reads of a file region: all of it, or only a prefix for a header.</summary>
public static class Inflate
{
    /// <param name="length">The zlib stream's stored length when known (read no further), else unbounded.</param>
    public static Stream Open(SafeFileHandle file, long offset, long length = long.MaxValue) =>
        new ZLibStream(new FileSliceStream(file, offset, length), CompressionMode.Decompress, leaveOpen: false);

    public static byte[] Exact(SafeFileHandle file, long offset, long size, string what)
    {
        if (size > Array.MaxLength)
        {
            throw new CorruptRepositoryException($"{what}: {size} bytes is too large to hold in memory");
        }

        var result = new byte[size];
        using var z = Open(file, offset);
        ReadExactly(z, result, what, static what => what);
        return result;
    }

    /// <summary>
    /// Exactly <paramref name="into"/>.Length bytes from a zlib stream already in memory, failing as
    /// a read from the file does. <paramref name="describe"/> names the stream only on failure: a
    /// pack read inflates every entry this way where the system's zlib cannot load.
    /// </summary>
    public static void Exact<TState>(ArraySegment<byte> zlib, Span<byte> into, TState state, Func<TState, string> describe)
    {
        using var z = new ZLibStream(new MemoryStream(zlib.Array!, zlib.Offset, zlib.Count, writable: false), CompressionMode.Decompress);
        ReadExactly(z, into, state, describe);
    }

    private static void ReadExactly<TState>(Stream z, Span<byte> into, TState state, Func<TState, string> describe)
    {
        try
        {
            z.ReadExactly(into);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw new CorruptRepositoryException($"{describe(state)}: cannot inflate {into.Length} bytes", e);
        }
    }

    /// <summary>Up to <paramref name="into"/>.Length bytes from the start; inflates no further.</summary>
    public static int Prefix(SafeFileHandle file, long offset, Span<byte> into, string what)
    {
        using var z = Open(file, offset);
        try
        {
            return z.ReadAtLeast(into, into.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new CorruptRepositoryException($"{what}: cannot inflate", e);
        }
    }
}
