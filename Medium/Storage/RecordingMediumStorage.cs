using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Medium.Storage;

/// <summary>
/// An in-memory medium that knows, after every operation, what a power cut would leave on disk.
/// The model is the pessimistic one the port documents: file data is durable only after
/// <see cref="Sync"/>; a create, rename or delete only after <see cref="SyncDirectory"/> of its
/// directory; unsynced writes reach the disk as any prefix of their 512-byte sectors, in order.
/// Crash-safety properties run every command against it and boot every <see cref="CrashImages"/>.
/// </summary>
public sealed class RecordingMediumStorage : IMediumStorage
{
    public const int SectorSize = 512;

    private readonly Dictionary<string, Inode> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Inode> _durableFiles = new(StringComparer.Ordinal);
    private readonly HashSet<string> _durableDirectories = new(StringComparer.Ordinal);

    public RecordingMediumStorage()
    {
        _directories.Add("/");
        _durableDirectories.Add("/");
    }

    /// <summary>Called after every operation that changes the medium, with its description.</summary>
    public Action<string>? AfterWrite { get; set; }

    /// <summary>How many medium-changing operations ran; each is a crash point.</summary>
    public int WriteCount { get; private set; }

    /// <summary>What <see cref="Space"/> reports, so a spec can model a full or read-only medium.</summary>
    public MediumSpace SpaceLeft { get; set; } = MediumSpace.Unknown;

    public MediumSpace Space(string path) => SpaceLeft;

    public bool FileExists(string path) => _files.ContainsKey(Norm(path));

    public bool DirectoryExists(string path) => _directories.Contains(Norm(path));

    public byte[] ReadAllBytes(string path) =>
        _files.TryGetValue(Norm(path), out var inode) ? inode.Data.ToArray() : throw NotFound(path);

    public long Length(string path) =>
        _files.TryGetValue(Norm(path), out var inode) ? inode.Data.Length : throw NotFound(path);

    public IReadOnlyList<string> ListFiles(string directory)
    {
        var dir = Norm(directory);
        return _files.Keys.Where(p => Parent(p) == dir).Select(Name).Order(StringComparer.Ordinal).ToList();
    }

    public void CreateDirectory(string path)
    {
        var dir = Norm(path);
        if (_directories.Contains(dir))
        {
            return;
        }

        CreateDirectory(Parent(dir));
        _directories.Add(dir);
        _durableDirectories.Add(dir);
        Wrote($"mkdir {dir}");
    }

    public void WriteNew(string path, ReadOnlySpan<byte> content)
    {
        var p = RequireParent(path);
        if (!_files.TryGetValue(p, out var inode))
        {
            inode = new Inode();
            _files[p] = inode;
        }

        inode.Truncate();
        inode.Write(0, content);
        Wrote($"write {p} ({content.Length} bytes)");
    }

    public void Append(string path, ReadOnlySpan<byte> content)
    {
        var p = RequireParent(path);
        if (!_files.TryGetValue(p, out var inode))
        {
            inode = new Inode();
            _files[p] = inode;
        }

        inode.Write(inode.Data.Length, content);
        Wrote($"append {p} ({content.Length} bytes)");
    }

    public void WriteInPlace(string path, long offset, ReadOnlySpan<byte> content)
    {
        var p = Norm(path);
        if (!_files.TryGetValue(p, out var inode))
        {
            throw NotFound(path);
        }

        if (offset < 0 || offset + content.Length > inode.Data.Length)
        {
            throw new IOException($"{p}: in-place write at {offset}+{content.Length} would change its size {inode.Data.Length}");
        }

        inode.Write(offset, content);
        Wrote($"pwrite {p} @{offset} ({content.Length} bytes)");
    }

    public void Sync(string path)
    {
        var p = Norm(path);
        if (!_files.TryGetValue(p, out var inode))
        {
            throw NotFound(path);
        }

        inode.Sync();
        Wrote($"fsync {p}");
    }

    public void Rename(string from, string to)
    {
        var f = Norm(from);
        var t = RequireParent(to);
        if (!_files.Remove(f, out var inode))
        {
            throw NotFound(from);
        }

        _files[t] = inode;
        Wrote($"rename {f} -> {t}");
    }

    public void SyncDirectory(string directory)
    {
        var dir = Norm(directory);
        if (!_directories.Contains(dir))
        {
            throw new DirectoryNotFoundException($"{dir}: no such directory");
        }

        foreach (var gone in _durableFiles.Keys.Where(p => Parent(p) == dir && !_files.ContainsKey(p)).ToList())
        {
            _durableFiles.Remove(gone);
        }

        foreach (var (path, inode) in _files.Where(e => Parent(e.Key) == dir))
        {
            _durableFiles[path] = inode;
        }

        Wrote($"fsync-dir {dir}");
    }

    public void Delete(string path)
    {
        if (_files.Remove(Norm(path)))
        {
            Wrote($"unlink {Norm(path)}");
        }
    }

    /// <summary>
    /// Every disk a power cut right now could leave: the durable names with their durable data, and
    /// for files with unsynced writes each prefix of those writes' sectors. The first image is the
    /// one with no unsynced sector written.
    /// </summary>
    public IEnumerable<RecordingMediumStorage> CrashImages()
    {
        var torn = _durableFiles.Where(e => e.Value.PendingSectors > 0).Select(e => e.Key).ToList();
        yield return CrashImage(torn: null, sectors: 0);
        foreach (var path in torn)
        {
            for (var k = 1; k <= _durableFiles[path].PendingSectors; k++)
            {
                yield return CrashImage(path, k);
            }
        }
    }

    /// <summary>What the medium holds after a clean shutdown: everything the process wrote.</summary>
    public RecordingMediumStorage Clone()
    {
        var copy = new RecordingMediumStorage();
        foreach (var dir in _directories)
        {
            copy._directories.Add(dir);
            copy._durableDirectories.Add(dir);
        }

        foreach (var (path, inode) in _files)
        {
            var fresh = Inode.Durable(inode.Data.ToArray());
            copy._files[path] = fresh;
            copy._durableFiles[path] = fresh;
        }

        return copy;
    }

    private RecordingMediumStorage CrashImage(string? torn, int sectors)
    {
        var image = new RecordingMediumStorage();
        foreach (var dir in _durableDirectories)
        {
            image._directories.Add(dir);
            image._durableDirectories.Add(dir);
        }

        var copies = new Dictionary<Inode, Inode>(ReferenceEqualityComparer.Instance);
        foreach (var (path, inode) in _durableFiles)
        {
            if (!copies.TryGetValue(inode, out var survived))
            {
                survived = Inode.Durable(path == torn ? inode.DurableWithSectors(sectors) : inode.DurableData.ToArray());
                copies[inode] = survived;
            }

            image._files[path] = survived;
            image._durableFiles[path] = survived;
        }

        return image;
    }

    private void Wrote(string what)
    {
        WriteCount++;
        AfterWrite?.Invoke(what);
    }

    private string RequireParent(string path)
    {
        var p = Norm(path);
        if (!_directories.Contains(Parent(p)))
        {
            throw new DirectoryNotFoundException($"{Parent(p)}: no such directory (writing {p})");
        }

        if (_directories.Contains(p))
        {
            throw new IOException($"{p}: is a directory");
        }

        return p;
    }

    private static string Norm(string path)
    {
        var full = Path.GetFullPath(path);
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }

    private static string Parent(string path) => Path.GetDirectoryName(path) ?? "/";

    private static string Name(string path) => Path.GetFileName(path);

    private static FileNotFoundException NotFound(string path) => new($"{path}: no such file", path);

    /// <summary>A file's data as the process sees it, what is on disk, and the writes in between.</summary>
    private sealed class Inode
    {
        private readonly List<(long Offset, byte[] Bytes)> _pending = [];
        private bool _truncatePending;

        public byte[] Data { get; private set; } = [];

        public byte[] DurableData { get; private set; } = [];

        public int PendingSectors => _pending.Sum(w => Sectors(w.Offset, w.Bytes.Length)) + (_truncatePending ? 1 : 0);

        public static Inode Durable(byte[] data) => new() { Data = data, DurableData = data.ToArray() };

        public void Truncate()
        {
            Data = [];
            _pending.Clear();
            _truncatePending = true;
        }

        public void Write(long offset, ReadOnlySpan<byte> content)
        {
            var end = offset + content.Length;
            if (end > Data.Length)
            {
                var grown = new byte[end];
                Data.CopyTo(grown, 0);
                Data = grown;
            }

            content.CopyTo(Data.AsSpan((int)offset));
            _pending.Add((offset, content.ToArray()));
        }

        public void Sync()
        {
            DurableData = Data.ToArray();
            _pending.Clear();
            _truncatePending = false;
        }

        /// <summary>Durable data with the first <paramref name="sectors"/> pending sector writes applied, in order.</summary>
        public byte[] DurableWithSectors(int sectors)
        {
            var data = DurableData.ToList();
            var left = sectors;
            if (_truncatePending && left > 0)
            {
                data.Clear();
                left--;
            }

            foreach (var (offset, bytes) in _pending)
            {
                for (var start = offset; start < offset + bytes.Length && left > 0; left--)
                {
                    var sectorEnd = Math.Min(offset + bytes.Length, (start / SectorSize + 1) * SectorSize);
                    while (data.Count < sectorEnd)
                    {
                        data.Add(0);
                    }

                    for (var i = start; i < sectorEnd; i++)
                    {
                        data[(int)i] = bytes[i - offset];
                    }

                    start = sectorEnd;
                }
            }

            return [.. data];
        }

        private static int Sectors(long offset, int length) =>
            length == 0 ? 0 : (int)(((offset + length - 1) / SectorSize) - (offset / SectorSize) + 1);
    }
}
