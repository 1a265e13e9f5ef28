namespace Webc.BootSafe.Git;

/// <summary>
/// The pack indexes this process has loaded, held weakly and named by the file as it is on disk
/// (path, length, modification time). A fetch opens the medium's objects several times (rollout
/// gate, transfer, re-hash, tree rules, staging); loading and sorting a large repository's index
/// each time was a tenth of the fetch. An index file is never rewritten in place (git renames a new
/// one over it, which changes its time), so a file that still looks the same holds the same bytes;
/// a damaged or replaced one is read afresh.
/// </summary>
internal static class PackIndexCache
{
    private readonly record struct FileState(string Path, long Length, DateTime Written);

    private static readonly Dictionary<FileState, WeakReference<PackIndex>> Loaded = new();
    private static readonly Lock Guard = new();

    public static PackIndex Load(string path, Func<string, PackIndex> read)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return read(path); // fails as a read of a missing index does
        }

        var state = new FileState(info.FullName, info.Length, info.LastWriteTimeUtc);
        lock (Guard)
        {
            if (Loaded.TryGetValue(state, out var weak) && weak.TryGetTarget(out var cached))
            {
                return cached;
            }
        }

        var index = read(path);
        lock (Guard)
        {
            if (Loaded.Count >= 64)
            {
                foreach (var (key, _) in Loaded.Where(e => !e.Value.TryGetTarget(out _)).ToList())
                {
                    Loaded.Remove(key);
                }
            }

            Loaded[state] = new WeakReference<PackIndex>(index);
        }

        return index;
    }
}
