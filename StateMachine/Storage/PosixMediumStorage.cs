using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.StateMachine.Storage;

/// <summary>The real boot medium: each port operation is the POSIX call it names, nothing cached.</summary>
public sealed class PosixMediumStorage : IMediumStorage
{
    public bool FileExists(string path) => File.Exists(path);

    public bool DirectoryExists(string path) => Directory.Exists(path);

    public byte[] ReadAllBytes(string path) => File.ReadAllBytes(path);

    public long Length(string path) => new FileInfo(path).Length;

    public IReadOnlyList<string> ListFiles(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToList()
            : [];

    public void CreateDirectory(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return;
        }

        var parent = Path.GetDirectoryName(full);
        if (parent is not null)
        {
            CreateDirectory(parent);
        }

        Directory.CreateDirectory(full);
        if (parent is not null)
        {
            SyncDirectory(parent);
        }
    }

    public void WriteNew(string path, ReadOnlySpan<byte> content)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        stream.Write(content);
    }

    public void Append(string path, ReadOnlySpan<byte> content)
    {
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        stream.Write(content);
    }

    public void WriteInPlace(string path, long offset, ReadOnlySpan<byte> content)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.Read, FileOptions.WriteThrough);
        var size = RandomAccess.GetLength(handle);
        if (offset < 0 || offset + content.Length > size)
        {
            throw new IOException($"{path}: in-place write at {offset}+{content.Length} would change its size {size}");
        }

        RandomAccess.Write(handle, content, offset);
    }

    // fsync through a read-only descriptor: it flushes the inode's dirty pages just the same, and
    // works on ldlinux.sys while it carries the immutable flag.
    public void Sync(string path) => FsyncPath(path, Libc.ORdonly | Libc.OCloexec);

    public void Rename(string from, string to) => File.Move(from, to, overwrite: true);

    public void SyncDirectory(string directory) => FsyncPath(directory, Libc.ORdonly | Libc.ODirectory | Libc.OCloexec);

    public void Delete(string path) => File.Delete(path);

    private static void FsyncPath(string path, int flags)
    {
        var fd = Libc.Open(path, flags);
        if (fd < 0)
        {
            throw Libc.Error("open", path);
        }

        try
        {
            if (Libc.Fsync(fd) != 0)
            {
                throw Libc.Error("fsync", path);
            }
        }
        finally
        {
            Libc.Close(fd);
        }
    }
}
