using System.Text;
using Microsoft.Win32.SafeHandles;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Mount.View;

/// <summary>
/// `mount --with-git`: the repository the commit is read from, shown read-only at `/.git` of the
/// mounted root so `git --git-dir=MNT/.git` works there (the seed's debug `mount_git`). Its files
/// are passed through as they are on disk, not taken from any tree, so no tree rule is involved: a
/// tree's own `.git` entry stays hidden by TreeRules whatever this serves. A directory is listed
/// (names, kinds, sizes) the first time it is looked at and then kept, as every node of the view
/// is; content is read from the real file at each read. Owner root, real permission bits, no
/// metadata-file overrides (those describe the commit, not the repository).
/// </summary>
internal sealed class RepositoryAtDotGit(string directory, InodeNumbers inodes)
{
    public const string Name = ".git";

    public Node Root(Node parent) => NewNode(NodeKind.Directory, parent, Name, Name, directory, Permissions(new DirectoryInfo(directory)), 4096);

    /// <summary>The entries of a passed-through directory, in byte order; FIFOs and sockets are served as empty files.</summary>
    public IEnumerable<Node> Children(Node dir)
    {
        var entries = new DirectoryInfo(dir.HostPath!).EnumerateFileSystemInfos()
            .Select(e => (Name: Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(e.Name)), Info: e))
            .OrderBy(e => e.Name, StringComparer.Ordinal);
        foreach (var (name, info) in entries)
        {
            var node = TryNode(dir, name, info);
            if (node is not null)
            {
                yield return node;
            }
        }
    }

    public static byte[] ReadLink(Node node) =>
        Encoding.UTF8.GetBytes(new FileInfo(node.HostPath!).LinkTarget ?? throw new IOException($"{node.HostPath} is no longer a symlink"));

    public static OpenBlob Open(Node node) => new HostFile(OpenHandle(node), node.KnownSize);

    public static int ReadAt(Node node, long offset, Span<byte> destination)
    {
        using var handle = OpenHandle(node);
        return RandomAccess.Read(handle, destination, offset);
    }

    private Node? TryNode(Node parent, string name, FileSystemInfo info)
    {
        var path = parent.Path + "/" + name;
        try
        {
            return info switch
            {
                { LinkTarget: { } target } => NewNode(NodeKind.Symlink, parent, path, name, info.FullName, 0x1FF, Encoding.UTF8.GetByteCount(target)),
                DirectoryInfo => NewNode(NodeKind.Directory, parent, path, name, info.FullName, Permissions(info), 4096),
                FileInfo file => NewNode(NodeKind.File, parent, path, name, info.FullName, Permissions(info), file.Length),
                _ => null,
            };
        }
        catch (FileNotFoundException)
        {
            return null; // removed since the listing (git gc, a fetch's temporary file): not there
        }
    }

    private static int Permissions(FileSystemInfo info) => (int)info.UnixFileMode & 0xFFF;

    private Node NewNode(NodeKind kind, Node parent, string path, string name, string hostPath, int permissions, long size)
    {
        var node = new Node
        {
            Kind = kind,
            Parent = parent,
            Path = path,
            Name = name,
            HostPath = hostPath,
            Permissions = permissions,
            KnownSize = size,
        };
        inodes.Add(node);
        return node;
    }

    private static SafeFileHandle OpenHandle(Node node)
    {
        // Non-blocking: opening a FIFO must not stall the (single-threaded) FUSE loop.
        var fd = Libc.Open(node.HostPath!, Libc.ORdonly | Libc.OCloexec | Libc.ONonblock);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw Libc.Error("open", node.HostPath!);
    }

    /// <summary>An open passed-through file: positional reads on the real file, closed on release.</summary>
    private sealed class HostFile(SafeFileHandle handle, long size) : OpenBlob
    {
        public override long Size => size;

        public override int Read(long offset, Span<byte> destination) => RandomAccess.Read(handle, destination, offset);

        public override void Dispose()
        {
            handle.Dispose();
            base.Dispose();
        }
    }
}
