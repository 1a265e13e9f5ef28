using System.Buffers.Text;
using System.Security.Cryptography;

namespace Webc.BootSafe.Git;

/// <summary>
/// The fast way to know a packed blob is intact, for scrub's tens of thousands of small blobs: its
/// entry's stored bytes (read by <see cref="PackWindow"/>) inflated by one reused zlib inflater,
/// hashed by one reused SHA-1, compared as bytes; nothing allocated per blob. It only ever says
/// "intact": a delta, a bad entry header or any inflate, size or hash problem answers false, and the
/// caller reads the blob the ordinary way, which says what is wrong in the words scrub has always
/// used. One per thread.
/// </summary>
public sealed class PackedBlobCheck : IDisposable
{
    private readonly ZlibInflater _zlib = new();
    private readonly IncrementalHash _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
    private readonly byte[] _output = new byte[64 * 1024];

    /// <param name="stored">The entry's stored bytes (header and zlib stream) read at <paramref name="offset"/> of <paramref name="pack"/>.</param>
    public bool IsIntact(ObjectId id, PackFile pack, long offset, ReadOnlySpan<byte> stored)
    {
        try
        {
            return pack.TryParseWhole(stored, offset, out var header, out var dataStart)
                && header.Type == ObjectType.Blob
                && Hashes(stored[dataStart..], header.Size, id);
        }
        catch (CorruptRepositoryException)
        {
            return false; // an unreadable entry header: the ordinary read says so
        }
    }

    private bool Hashes(ReadOnlySpan<byte> zlib, long size, ObjectId id)
    {
        Span<byte> prefix = stackalloc byte[32];
        "blob "u8.CopyTo(prefix);
        Utf8Formatter.TryFormat(size, prefix[5..], out var digits);
        prefix[5 + digits] = 0;
        _sha1.AppendData(prefix[..(6 + digits)]);

        _zlib.Reset();
        long produced = 0;
        var ended = false;
        while (!ended && produced <= size)
        {
            var n = _zlib.InflateInto(ref zlib, _output, out ended);
            _sha1.AppendData(_output, 0, n);
            produced += n;
            if (n < _output.Length && !ended)
            {
                break; // corrupt, or truncated: needs input the entry does not have
            }
        }

        // Always taken, so the next blob starts from an empty hash.
        Span<byte> hash = stackalloc byte[ObjectId.Size];
        _sha1.GetHashAndReset(hash);
        return ended && produced == size && ObjectId.FromRaw(hash) == id;
    }

    public void Dispose()
    {
        _zlib.Dispose();
        _sha1.Dispose();
    }
}
