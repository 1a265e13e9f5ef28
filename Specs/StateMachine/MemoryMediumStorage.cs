using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Specs.StateMachine;

/// <summary>
/// The medium in memory, for properties that commit hundreds of thousands of transitions (fsync on
/// a real disk would take hours). <see cref="StoreSpecs"/> checks it against PosixMediumStorage.
/// </summary>
public sealed class MemoryMediumStorage : IMediumStorage
{
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, byte[]> Files => _files;

    public bool FileExists(string path) => _files.ContainsKey(path);

    public bool DirectoryExists(string path) => _directories.Contains(path);

    public byte[] ReadAllBytes(string path) =>
        _files.TryGetValue(path, out var bytes) ? bytes.ToArray() : throw new FileNotFoundException(path);

    public long Length(string path) => ReadAllBytes(path).Length;

    public IReadOnlyList<string> ListFiles(string directory) =>
        [.. _files.Keys.Where(p => Path.GetDirectoryName(p) == directory).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    public void CreateDirectory(string path)
    {
        for (var d = path; !string.IsNullOrEmpty(d); d = Path.GetDirectoryName(d))
        {
            _directories.Add(d);
        }
    }

    public void WriteNew(string path, ReadOnlySpan<byte> content) => _files[path] = content.ToArray();

    public void Append(string path, ReadOnlySpan<byte> content) =>
        _files[path] = _files.TryGetValue(path, out var old) ? [.. old, .. content] : content.ToArray();

    public void WriteInPlace(string path, long offset, ReadOnlySpan<byte> content) =>
        content.CopyTo(_files[path].AsSpan((int)offset));

    public void Sync(string path)
    {
        if (!_files.ContainsKey(path))
        {
            throw new FileNotFoundException(path);
        }
    }

    public void Rename(string from, string to)
    {
        _files[to] = _files[from];
        _files.Remove(from);
    }

    public void SyncDirectory(string directory)
    {
    }

    public void Delete(string path) => _files.Remove(path);

    /// <summary>An independent copy of the medium (a control run beside a damaged one).</summary>
    public MemoryMediumStorage Clone()
    {
        var copy = new MemoryMediumStorage();
        foreach (var (path, bytes) in _files)
        {
            copy._files[path] = bytes.ToArray();
        }

        copy._directories.UnionWith(_directories);
        return copy;
    }

    /// <summary>Replaces a file's bytes behind the store's back (corruption, tampering).</summary>
    public void Put(string path, byte[] content) => _files[path] = content;
}
