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

    public string Path { get; }

    public PackIndex Index { get; }

    public long Length { get; }

    public PackFile(string packPath, PackIndex index, Func<ObjectId, (ObjectType, byte[])> readById,
        Func<ObjectId, ObjectType> typeById, long baseCacheBytes)
    {
        Path = packPath;
        Index = index;
        _readById = readById;
        _typeById = typeById;
        _bases = new LruCache<long>(baseCacheBytes);
        _file = File.OpenHandle(packPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Length = RandomAccess.GetLength(_file);
    }

    private readonly record struct Entry(ObjectType Type, long Size, long DataOffset, long BaseOffset, ObjectId BaseId);

    private Entry ReadEntry(long offset)
    {
        Span<byte> head = stackalloc byte[32];
        var n = RandomAccess.Read(_file, head, offset);
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
        var entry = ReadEntry(offset);
        switch (entry.Type)
        {
            case ObjectType.OffsetDelta or ObjectType.RefDelta:
            {
                var (baseType, baseData) = entry.Type == ObjectType.OffsetDelta
                    ? ReadBase(entry.BaseOffset)
                    : _readById(entry.BaseId);
                var delta = Inflate.Exact(_file, entry.DataOffset, entry.Size, Describe(offset));
                return (baseType, Delta.Apply(baseData, delta));
            }
            default:
                return (entry.Type, Inflate.Exact(_file, entry.DataOffset, entry.Size, Describe(offset)));
        }
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

    private (ObjectType, byte[]) ReadBase(long offset)
    {
        var typeKnown = ReadHeaderTypeOnly(offset);
        if (_bases.TryGet(offset, out var cached))
        {
            return (typeKnown, cached);
        }

        var result = Read(offset);
        _bases.Add(offset, result.Data);
        return result;
    }

    private ObjectType ReadHeaderTypeOnly(long offset) => BaseType(ReadEntry(offset));

    private string Describe(long offset) => $"{Path} at offset {offset}";

    private CorruptRepositoryException Corrupt(long offset, string what) => new($"{Describe(offset)}: {what}");

    public void Dispose() => _file.Dispose();
}
