using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Webc.BootSafe.Git;

/// <summary>
/// One packfile read with positional reads (never mapped: mapping a 500 MB pack would count its
/// touched pages against the mount's resident set). Resolves offset and ref deltas; inflated delta
/// bases are kept in a bounded cache because a chain shares them.
/// </summary>
public sealed class PackFile : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly Func<ObjectId, (ObjectType Type, byte[] Data)> _readById;
    private readonly Func<ObjectId, ObjectType> _typeById;
    private readonly LruCache<long> _bases;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, ObjectType> _baseTypes = new();
    private readonly InflaterPool _inflaters = new();
    private readonly long _id = NewId();
    private readonly bool _readHeadersAhead;
    private static long s_lastId;

    public string Path { get; }

    public PackIndex Index { get; }

    public long Length { get; }

    public PackFile(string packPath, PackIndex index, Func<ObjectId, (ObjectType, byte[])> readById,
        Func<ObjectId, ObjectType> typeById, long baseCacheBytes, bool readHeadersAhead = false)
    {
        _readHeadersAhead = readHeadersAhead;
        Path = packPath;
        Index = index;
        _readById = readById;
        _typeById = typeById;
        _bases = new LruCache<long>(baseCacheBytes);
        _file = File.OpenHandle(packPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Length = RandomAccess.GetLength(_file);
    }

    /// <summary>A number no other pack opened by this process has (ids start at 1).</summary>
    internal static long NewId() => Interlocked.Increment(ref s_lastId);

    private readonly record struct Entry(ObjectType Type, long Size, long DataOffset, long BaseOffset, ObjectId BaseId);

    private Entry ReadEntry(long offset)
    {
        Span<byte> head = stackalloc byte[32];
        var n = _readHeadersAhead ? HeaderReadAhead.ForThread.Read(_id, _file, offset, head) : RandomAccess.Read(_file, head, offset);
        return ParseEntry(head, n, offset);
    }

    /// <summary>The entry header in the first <paramref name="n"/> of 32 bytes read at <paramref name="offset"/>.</summary>
    private Entry ParseEntry(ReadOnlySpan<byte> head, int n, long offset)
    {
        var pos = 0;
        if (n < 2)
        {
            throw Corrupt(offset, "truncated entry header");
        }

        var b = head[pos++];
        var type = (ObjectType)((b >> 4) & 7);
        long size = b & 0x0f;
        var shift = 4;
        while ((b & 0x80) != 0)
        {
            if (pos >= n)
            {
                throw Corrupt(offset, "truncated size");
            }

            b = head[pos++];
            size |= (long)(b & 0x7f) << shift;
            shift += 7;
        }

        switch (type)
        {
            case ObjectType.OffsetDelta:
            {
                b = head[pos++];
                long back = b & 0x7f;
                while ((b & 0x80) != 0)
                {
                    if (pos >= n)
                    {
                        throw Corrupt(offset, "truncated delta offset");
                    }

                    b = head[pos++];
                    back = ((back + 1) << 7) | (long)(b & 0x7f);
                }

                if (back <= 0 || back > offset)
                {
                    throw Corrupt(offset, "delta base offset out of range");
                }

                return new Entry(type, size, offset + pos, offset - back, default);
            }
            case ObjectType.RefDelta:
            {
                if (pos + ObjectId.Size > n)
                {
                    throw Corrupt(offset, "truncated delta base name");
                }

                return new Entry(type, size, offset + pos + ObjectId.Size, -1, ObjectId.FromRaw(head.Slice(pos, ObjectId.Size)));
            }
            case ObjectType.Commit or ObjectType.Tree or ObjectType.Blob or ObjectType.Tag:
                return new Entry(type, size, offset + pos, -1, default);
            default:
                throw Corrupt(offset, $"unknown object type {(int)type}");
        }
    }

    /// <summary>Bytes the entry at <paramref name="offset"/> takes: its header and stored zlib stream.</summary>
    public long StoredLength(long offset) => Index.EntryLength(offset, Length);

    /// <summary>Stored bytes from <paramref name="offset"/> on (a positional read: threads may share the pack); fewer at the pack's end.</summary>
    public int ReadStored(long offset, Span<byte> into) => RandomAccess.Read(_file, into, offset);

    /// <summary>
    /// The header of a whole (non-delta) object from its entry's stored bytes, read at
    /// <paramref name="offset"/>: its type and size, and where its zlib stream starts. False for a
    /// delta, which only the ordinary read rebuilds.
    /// </summary>
    public bool TryParseWhole(ReadOnlySpan<byte> stored, long offset, out ObjectHeader header, out int dataStart)
    {
        Span<byte> head = stackalloc byte[32];
        var n = Math.Min(stored.Length, head.Length);
        stored[..n].CopyTo(head);
        var entry = ParseEntry(head, n, offset);
        var whole = entry.Type is not (ObjectType.OffsetDelta or ObjectType.RefDelta);
        header = whole ? new ObjectHeader(entry.Type, entry.Size) : default;
        dataStart = whole ? (int)(entry.DataOffset - offset) : 0;
        return whole;
    }

    /// <summary>Whether the entry at <paramref name="offset"/> is an offset or ref delta.</summary>
    public bool IsDelta(long offset) => ReadEntry(offset).Type is ObjectType.OffsetDelta or ObjectType.RefDelta;

    /// <summary>Type and size, inflating at most a delta's first bytes.</summary>
    public ObjectHeader ReadHeader(long offset)
    {
        var entry = ReadEntry(offset);
        if (entry.Type is not (ObjectType.OffsetDelta or ObjectType.RefDelta))
        {
            return new ObjectHeader(entry.Type, entry.Size);
        }

        Span<byte> prefix = stackalloc byte[24];
        var n = Inflate.Prefix(_file, entry.DataOffset, prefix, Describe(offset));
        var (_, resultSize, _) = Delta.ReadSizes(prefix[..n]);
        return new ObjectHeader(BaseType(entry), resultSize);
    }

    private ObjectType BaseType(Entry entry)
    {
        // Each link's type is remembered: a chain read link by link (a tree in a repository with
        // history is a delta dozens deep) would otherwise walk the rest of the chain at every link,
        // one pread each: quadratic in the chain's depth.
        List<long>? walked = null;
        ObjectType type;
        while (true)
        {
            if (entry.Type == ObjectType.RefDelta)
            {
                type = _typeById(entry.BaseId);
                break;
            }

            if (entry.Type != ObjectType.OffsetDelta)
            {
                type = entry.Type;
                break;
            }

            if (_baseTypes.TryGetValue(entry.BaseOffset, out var known))
            {
                type = known;
                break;
            }

            (walked ??= []).Add(entry.BaseOffset);
            entry = ReadEntry(entry.BaseOffset);
        }

        foreach (var offset in walked ?? [])
        {
            _baseTypes[offset] = type;
        }

        return type;
    }

    public (ObjectType Type, byte[] Data) Read(long offset)
    {
        // A chain is walked down to a base at hand (a cached base, a whole object, or a ref delta's
        // base read by name), then rebuilt upwards: one pread per link, its delta inflated by a
        // reused inflater, the links between built in rented buffers. Only the chain's root and the
        // object's own base are kept as bases: a reader going through a chain in pack order (scrub)
        // then rebuilds one or two links per object, and a tree walk, whose chains share nothing,
        // no longer fills the cache (and the collector) with a copy of every link.
        var links = new List<Link>();
        Built built = default;
        try
        {
            links.Add(ReadLink(offset));
            ObjectType type;
            byte[] data;
            while (true)
            {
                var link = links[^1];
                if (link.Entry.Type == ObjectType.RefDelta)
                {
                    (type, data) = _readById(link.Entry.BaseId);
                    break;
                }

                if (link.Entry.Type != ObjectType.OffsetDelta)
                {
                    type = link.Entry.Type;
                    data = InflateWhole(link);
                    links.RemoveAt(links.Count - 1);
                    if (links.Count > 0)
                    {
                        Keep(link.Offset, type, data);
                    }

                    break;
                }

                if (TryCachedBase(link.Entry.BaseOffset, out type, out data))
                {
                    break;
                }

                links.Add(ReadLink(link.Entry.BaseOffset));
            }

            built = new Built(data, data.Length, Rented: false);
            for (var i = links.Count - 1; i >= 0; i--)
            {
                var next = ApplyDelta(links[i], built.Span, whole: i <= 1);
                built.Return();
                built = next;
                if (i == 1)
                {
                    Keep(links[i].Offset, type, built.Array);
                }
            }

            return (type, built.Array);
        }
        catch
        {
            built.Return();
            throw;
        }
        finally
        {
            foreach (var link in links)
            {
                link.Return();
            }
        }
    }

    /// <summary>A rebuilt object: a whole array of its own, or the first Length bytes of a rented one.</summary>
    private readonly record struct Built(byte[] Array, int Length, bool Rented)
    {
        public ReadOnlySpan<byte> Span => Array.AsSpan(0, Length);

        public void Return()
        {
            if (Rented)
            {
                ArrayPool<byte>.Shared.Return(Array);
            }
        }
    }

    /// <summary>Entries up to this many stored bytes are read with one pread; larger ones stream.</summary>
    private const int OneReadLimit = 256 * 1024;

    /// <summary>An entry and, when it is small enough, its stored bytes in a rented buffer.</summary>
    private readonly record struct Link(long Offset, Entry Entry, byte[]? Stored, int StoredLength)
    {
        public ArraySegment<byte> Zlib => new(Stored!, (int)(Entry.DataOffset - Offset), StoredLength - (int)(Entry.DataOffset - Offset));

        public void Return()
        {
            if (Stored is not null)
            {
                ArrayPool<byte>.Shared.Return(Stored);
            }
        }
    }

    private Link ReadLink(long offset)
    {
        var length = Index.EntryLength(offset, Length);
        if (length <= 0 || length > OneReadLimit)
        {
            return new Link(offset, ReadEntry(offset), null, 0);
        }

        var stored = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            var n = RandomAccess.Read(_file, stored.AsSpan(0, (int)length), offset);
            Span<byte> head = stackalloc byte[32];
            var h = Math.Min(n, head.Length);
            stored.AsSpan(0, h).CopyTo(head);
            var entry = ParseEntry(head, h, offset);
            if (entry.DataOffset - offset > n)
            {
                throw Corrupt(offset, "truncated entry header");
            }

            return new Link(offset, entry, stored, n);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(stored);
            throw;
        }
    }

    private byte[] InflateWhole(Link link)
    {
        if (link.Stored is null)
        {
            return Inflate.Exact(_file, link.Entry.DataOffset, link.Entry.Size, Describe(link.Offset));
        }

        var data = new byte[CheckedSize(link)];
        InflateStored(link, data);
        return data;
    }

    /// <param name="whole">Build into an array of its own (to return or keep), else into a rented one.</param>
    private Built ApplyDelta(Link link, ReadOnlySpan<byte> baseData, bool whole)
    {
        if (link.Stored is null)
        {
            var big = Delta.Apply(baseData, Inflate.Exact(_file, link.Entry.DataOffset, link.Entry.Size, Describe(link.Offset)));
            return new Built(big, big.Length, Rented: false);
        }

        var size = CheckedSize(link);
        var delta = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            InflateStored(link, delta.AsSpan(0, size));
            var length = Delta.ResultLength(baseData, delta.AsSpan(0, size));
            var result = whole ? new byte[length] : ArrayPool<byte>.Shared.Rent(length);
            try
            {
                Delta.ApplyInto(baseData, delta.AsSpan(0, size), result.AsSpan(0, length));
            }
            catch when (!whole)
            {
                ArrayPool<byte>.Shared.Return(result);
                throw;
            }

            return new Built(result, length, Rented: !whole);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(delta);
        }
    }

    private int CheckedSize(Link link) => link.Entry.Size <= Array.MaxLength
        ? (int)link.Entry.Size
        : throw new CorruptRepositoryException($"{Describe(link.Offset)}: {link.Entry.Size} bytes is too large to hold in memory");

    /// <summary>Exactly <paramref name="into"/>.Length bytes from the link's zlib stream, as <see cref="Inflate.Exact"/> reads them.</summary>
    private void InflateStored(Link link, Span<byte> into)
    {
        var inflater = _inflaters.Take();
        if (inflater is null)
        {
            // The message is built only on failure (a tuple and a static lambda allocate nothing).
            Inflate.Exact(link.Zlib, into, (Pack: this, link.Offset), static at => at.Pack.Describe(at.Offset));
            return;
        }

        try
        {
            ReadOnlySpan<byte> zlib = link.Zlib;
            if (inflater.InflateInto(ref zlib, into, out _) != into.Length)
            {
                throw new CorruptRepositoryException($"{Describe(link.Offset)}: cannot inflate {into.Length} bytes");
            }
        }
        finally
        {
            _inflaters.Give(inflater);
        }
    }

    private bool TryCachedBase(long offset, out ObjectType type, out byte[] data)
    {
        type = default;
        return _bases.TryGet(offset, out data) && _baseTypes.TryGetValue(offset, out type);
    }

    private void Keep(long offset, ObjectType type, byte[] data)
    {
        _baseTypes[offset] = type;
        _bases.Add(offset, data);
    }

    /// <summary>
    /// A stream of a blob's content. Whole (non-delta) objects stream straight from the pack, so a
    /// large file is never held in memory; a delta has to be rebuilt in memory first.
    /// </summary>
    public (Stream Stream, long Size) OpenStream(long offset)
    {
        var entry = ReadEntry(offset);
        if (entry.Type is ObjectType.OffsetDelta or ObjectType.RefDelta)
        {
            var (_, data) = Read(offset);
            return (new MemoryStream(data, writable: false), data.LongLength);
        }

        var stored = Index.EntryLength(offset, Length) - (entry.DataOffset - offset);
        return (Inflate.Open(_file, entry.DataOffset, stored > 0 ? stored : long.MaxValue), entry.Size);
    }

    private string Describe(long offset) => $"{Path} at offset {offset}";

    private CorruptRepositoryException Corrupt(long offset, string what) => new($"{Describe(offset)}: {what}");

    public void Dispose()
    {
        _file.Dispose();
        _inflaters.Dispose();
    }
}
