namespace Webc.BootSafe.Git;

/// <summary>
/// Reads objects from packs and loose files (and alternates) without libgit2: no native buffers to
/// get wrong under NativeAOT, sizes come from headers, and whole blobs can be streamed.
/// Packs are rescanned once when an object is missing, because a concurrent gc may repack loose
/// objects while a commit is mounted.
/// </summary>
public sealed class ObjectDatabase : IDisposable
{
    private readonly List<string> _objectDirs;
    private readonly List<LooseObjects> _loose;
    private readonly long _baseCacheBytes;
    private readonly bool _rescanOnMiss;
    private readonly bool _readHeadersAhead;
    private readonly Lock _lock = new();
    private List<PackFile> _packs = [];

    private ObjectDatabase(List<string> objectDirs, long baseCacheBytes, bool rescanOnMiss, bool readHeadersAhead)
    {
        _objectDirs = objectDirs;
        _baseCacheBytes = baseCacheBytes;
        _rescanOnMiss = rescanOnMiss;
        _readHeadersAhead = readHeadersAhead;
        _loose = objectDirs.Select(d => new LooseObjects(d)).ToList();
        LoadPacks();
    }

    /// <param name="rescanOnMiss">
    /// Rescan the pack directories when an object is not found (a reader that outlives a gc needs it;
    /// one that expects misses, like fetch asking whether an object is new, does not).
    /// </param>
    /// <param name="readHeadersAhead">
    /// Serve entry headers read in pack order from a window (<see cref="HeaderReadAhead"/>): for a
    /// reader that lists trees (the mount), not one that visits objects in another order (fetch's walk).
    /// </param>
    public static ObjectDatabase Open(GitDirectory git, long baseCacheBytes = 8 << 20, bool rescanOnMiss = true, bool readHeadersAhead = false)
    {
        var dirs = new List<string>();
        AddWithAlternates(git.ObjectsDir, dirs, depth: 0);
        return new ObjectDatabase(dirs, baseCacheBytes, rescanOnMiss, readHeadersAhead);
    }

    private static void AddWithAlternates(string dir, List<string> dirs, int depth)
    {
        if (dirs.Contains(dir) || depth > 5)
        {
            return;
        }

        dirs.Add(dir);
        var alternates = Path.Combine(dir, "info", "alternates");
        if (!File.Exists(alternates))
        {
            return;
        }

        foreach (var line in File.ReadAllLines(alternates))
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                AddWithAlternates(Path.GetFullPath(line, dir), dirs, depth + 1);
            }
        }
    }

    /// <summary>Objects in packs (loose ones are not counted; statfs only needs a sensible figure).</summary>
    public long PackedObjectCount => _packs.Sum(p => (long)p.Index.Count);

    public long PackBytes => _packs.Sum(p => p.Length);

    private void LoadPacks()
    {
        var old = _packs;
        var packs = new List<PackFile>();
        foreach (var dir in _objectDirs)
        {
            var packDir = Path.Combine(dir, "pack");
            if (!Directory.Exists(packDir))
            {
                continue;
            }

            foreach (var idx in Directory.GetFiles(packDir, "*.idx").Order(StringComparer.Ordinal))
            {
                var pack = Path.ChangeExtension(idx, ".pack");
                if (old.FirstOrDefault(p => p.Path == pack) is { } kept)
                {
                    packs.Add(kept);
                }
                else if (File.Exists(pack))
                {
                    packs.Add(new PackFile(pack, PackIndex.Load(idx), ReadRequired, TypeOf, _baseCacheBytes, _readHeadersAhead));
                }
            }
        }

        // Packs that vanished keep their open handles: readers in flight still finish.
        _packs = packs;
    }

    private bool TryLocate(ObjectId id, out PackFile pack, out long offset)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (TryFindPacked(id, out pack, out offset))
            {
                return true;
            }

            if (attempt == 0)
            {
                if (!_rescanOnMiss || _loose.Any(l => l.Contains(id)))
                {
                    break;
                }

                lock (_lock)
                {
                    LoadPacks();
                }
            }
        }

        pack = null!;
        offset = -1;
        return false;
    }

    /// <summary>
    /// The pack and offset of an object in the packs open now, without the rescan a miss costs: for a
    /// caller that falls back to the ordinary read (which rescans) when this finds nothing.
    /// </summary>
    public bool TryFindPacked(ObjectId id, out PackFile pack, out long offset)
    {
        foreach (var p in _packs)
        {
            var o = p.Index.Find(id);
            if (o >= 0)
            {
                pack = p;
                offset = o;
                return true;
            }
        }

        pack = null!;
        offset = -1;
        return false;
    }

    public bool Contains(ObjectId id) => TryLocate(id, out _, out _) || _loose.Any(l => l.Contains(id));

    public ObjectHeader ReadHeader(ObjectId id)
    {
        if (TryLocate(id, out var pack, out var offset))
        {
            return pack.ReadHeader(offset);
        }

        foreach (var loose in _loose)
        {
            if (loose.TryReadHeader(id) is { } header)
            {
                return header;
            }
        }

        throw Missing(id);
    }

    public ObjectType TypeOf(ObjectId id) => ReadHeader(id).Type;

    /// <summary>Bytes the object takes as stored: its pack entry, or its loose file.</summary>
    public long StoredSize(ObjectId id)
    {
        if (TryLocate(id, out var pack, out var offset))
        {
            return pack.Index.EntryLength(offset, pack.Length);
        }

        var loose = _loose.Select(l => new FileInfo(l.PathOf(id))).FirstOrDefault(f => f.Exists);
        return loose?.Length ?? 0;
    }

    /// <summary>
    /// True when the object is stored as a delta, so reading it means rebuilding it whole in memory
    /// (a reader that shares rebuilt copies needs to know; loose and whole packed objects stream).
    /// </summary>
    public bool IsDeltified(ObjectId id) => TryLocate(id, out var pack, out var offset) && pack.IsDelta(offset);

    public (ObjectType Type, byte[] Data) ReadRequired(ObjectId id)
    {
        if (TryLocate(id, out var pack, out var offset))
        {
            return pack.Read(offset);
        }

        foreach (var loose in _loose)
        {
            if (loose.TryRead(id) is { } found)
            {
                return found;
            }
        }

        throw Missing(id);
    }

    public byte[] Read(ObjectId id, ObjectType expected)
    {
        var (type, data) = ReadRequired(id);
        if (type != expected)
        {
            throw new CorruptRepositoryException($"object {id} is a {type}, expected a {expected}");
        }

        return data;
    }

    /// <summary>A blob as a stream (streamed from disk unless it is a delta); the caller disposes it.</summary>
    public (Stream Stream, long Size) OpenBlob(ObjectId id)
    {
        if (TryLocate(id, out var pack, out var offset))
        {
            return pack.OpenStream(offset);
        }

        foreach (var loose in _loose)
        {
            if (loose.TryOpenStream(id) is { } found)
            {
                return (found.Stream, found.Header.Size);
            }
        }

        throw Missing(id);
    }

    /// <summary>Objects whose name starts with a hex prefix (at most two: enough to call it ambiguous).</summary>
    public List<ObjectId> FindByPrefix(string hexPrefix)
    {
        var found = new HashSet<ObjectId>();
        foreach (var pack in _packs)
        {
            found.UnionWith(pack.Index.FindByPrefix(hexPrefix));
        }

        foreach (var loose in _loose)
        {
            var dir = Path.Combine(loose.ObjectsDir, hexPrefix[..2]);
            if (Directory.Exists(dir))
            {
                foreach (var file in Directory.EnumerateFiles(dir))
                {
                    var hex = hexPrefix[..2] + Path.GetFileName(file);
                    if (hex.StartsWith(hexPrefix, StringComparison.Ordinal) && ObjectId.TryParse(hex, out var id))
                    {
                        found.Add(id);
                    }
                }
            }
        }

        return found.Take(2).ToList();
    }

    private static CorruptRepositoryException Missing(ObjectId id) => new($"object {id} is missing from the repository");

    public void Dispose()
    {
        foreach (var pack in _packs)
        {
            pack.Dispose();
        }
    }
}
