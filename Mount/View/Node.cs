using Webc.BootSafe.Git;

namespace Webc.BootSafe.Mount.View;

/// <summary>
/// One path of the mounted commit. Directories load their children on first use and keep them:
/// a commit never changes, so nothing is ever invalidated. Paths and names are Latin-1 strings
/// (one char per byte) relative to the root, without a leading slash; the root's path is "".
/// </summary>
public sealed class Node
{
    public required NodeKind Kind { get; init; }

    public required string Path { get; init; }

    public required string Name { get; init; }

    public ObjectId Id { get; init; }

    /// <summary>The inode number, which is also the FUSE node id (set by <see cref="InodeNumbers.Add"/>).</summary>
    public ulong Ino { get; internal set; }

    /// <summary>The directory listing this node (its ".." entry); null for the root.</summary>
    public Node? Parent { get; init; }

    /// <summary>Permission bits (07777), after the metadata file's overrides.</summary>
    public int Permissions { get; set; }

    public uint Uid { get; set; }

    public uint Gid { get; set; }

    /// <summary>The raw security.capability xattr (metadata file, version 2); null when none.</summary>
    public byte[]? Capability { get; set; }

    /// <summary>For a device node or FIFO: its st_mode type bits and st_rdev.</summary>
    public int DeviceTypeBits { get; init; }

    public ulong RDev { get; init; }

    /// <summary>The real file or directory this node passes through (the repository at /.git, mount --with-git); null for the commit's own nodes.</summary>
    public string? HostPath { get; init; }

    /// <summary>Content of a synthetic file.</summary>
    public byte[]? Content { get; init; }

    /// <summary>Byte size; -1 until read from the object header.</summary>
    internal long KnownSize { get; set; } = -1;

    /// <summary>Whether the blob is stored as a delta; null until asked (asked once per read otherwise).</summary>
    internal bool? Deltified { get; set; }

    internal Dictionary<string, Node>? Children { get; set; }

    /// <summary>Whether the kernel has begun listing this directory (set on the loop thread only).</summary>
    internal bool Listed { get; set; }

    /// <summary>Whether <see cref="WalkAhead"/> has queued this directory's subdirectories (set under its lock).</summary>
    internal bool SubdirectoriesQueued { get; set; }

    internal Dictionary<string, Node>.AlternateLookup<ReadOnlySpan<char>> ChildLookup { get; set; }

    internal Node[]? Ordered { get; set; }

    internal int SubdirectoryCount { get; set; }

    public bool IsDirectory => Kind is NodeKind.Directory or NodeKind.Submodule;

    /// <summary>The stat st_mode type bits.</summary>
    public int TypeBits => Kind switch
    {
        NodeKind.Directory or NodeKind.Submodule => 0x4000,
        NodeKind.Symlink => 0xA000,
        NodeKind.Device => DeviceTypeBits,
        _ => 0x8000,
    };

    public int Mode => TypeBits | Permissions;
}
