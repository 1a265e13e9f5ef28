using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Medium.Storage;

/// <summary>The real boot medium: each port operation is the POSIX call it names, nothing cached.</summary>
public sealed class PosixMediumStorage : IMediumStorage
{
    public bool FileExists(string path) => File.Exists(path);

    public bool DirectoryExists(string path) => Directory.Exists(path);

    public byte[] ReadAllBytes(string path)
    {
        using var file = File.OpenHandle(path);
        // A medium file that is a device (a symlink to /dev/zero) would be read until memory ran out.
        if (!Libc.IsRegularFile(file))
        {
            throw new IOException($"{path}: not a regular file");
        }

        using var stream = new FileStream(file, FileAccess.Read, bufferSize: 0);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

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

    public void WriteNew(string path, Stream content)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        content.CopyTo(stream, 1 << 20);
    }

    public Stream OpenRead(string path) => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);

    public void Append(string path, ReadOnlySpan<byte> content)
    {
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        stream.Write(content);
    }

    /// <summary>
    /// Lifts the immutable flag extlinux sets on ldlinux.sys for the duration of the write, writes with
    /// O_SYNC through the same inode (never truncating or replacing it: the boot code addresses its
    /// sectors directly), checks the inode and size did not change, and sets the flag again.
    /// </summary>
    public void WriteInPlace(string path, long offset, ReadOnlySpan<byte> content)
    {
        var guard = Libc.Open(path, Libc.ORdonly | Libc.OCloexec);
        if (guard < 0)
        {
            throw Libc.Error("open", path);
        }

        try
        {
            var before = Libc.Identify(guard, path);
            if (offset < 0 || offset + content.Length > before.Size)
            {
                throw new IOException($"{path}: in-place write at {offset}+{content.Length} would change its size {before.Size}");
            }

            var flags = Libc.GetInodeFlags(guard, path);
            var immutable = flags is { } f && (f & Libc.FsImmutableFl) != 0;
            if (immutable)
            {
                Libc.SetInodeFlags(guard, flags!.Value & ~Libc.FsImmutableFl, path);
            }

            var written = false;
            try
            {
                WriteThrough(path, offset, content, before);
                written = true;
            }
            finally
            {
                if (immutable)
                {
                    RestoreFlags(guard, flags!.Value, path, written);
                }
            }
        }
        finally
        {
            Libc.Close(guard);
        }
    }

    // fsync through a read-only descriptor: it flushes the inode's dirty pages just the same, and
    // works on ldlinux.sys while it carries the immutable flag.
    public void Sync(string path) => FsyncPath(path, Libc.ORdonly | Libc.OCloexec);

    public void Rename(string from, string to) => File.Move(from, to, overwrite: true);

    public void SyncDirectory(string directory) => FsyncPath(directory, Libc.ORdonly | Libc.ODirectory | Libc.OCloexec);

    public void Delete(string path) => File.Delete(path);

    public MediumSpace Space(string path) => Libc.StatVfs(path);

    private static void WriteThrough(string path, long offset, ReadOnlySpan<byte> content, Libc.FileIdentity before)
    {
        var fd = Libc.Open(path, Libc.OWronly | Libc.OSync | Libc.OCloexec);
        if (fd < 0)
        {
            throw Libc.Error("open for writing", path);
        }

        try
        {
            if (Libc.Identify(fd, path).Inode != before.Inode)
            {
                throw new IOException($"{path}: replaced by another file (inode changed) before the in-place write");
            }

            Libc.WriteAll(fd, content, offset, path);
            var after = Libc.Identify(fd, path);
            if (after != before)
            {
                throw new IOException(
                    $"{path}: in-place write changed inode {before.Inode} -> {after.Inode} or size {before.Size} -> {after.Size}");
            }
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    // A failed restore after a failed write must not hide the write's exception.
    private static void RestoreFlags(int fd, int flags, string path, bool written)
    {
        try
        {
            Libc.SetInodeFlags(fd, flags, path);
        }
        catch (IOException e) when (written)
        {
            throw new IOException($"{path}: written, but the immutable flag could not be set again: {e.Message}", e);
        }
        catch (IOException) when (!written)
        {
        }
    }

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
