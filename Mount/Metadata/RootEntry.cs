namespace Webc.BootSafe.Mount.Metadata;

/// <summary>The type of one entry of a root filesystem being committed.</summary>
public enum RootEntryType
{
    Directory,
    File,
    Symlink,
    CharDevice,
    BlockDevice,
    Fifo,
    Socket,
}

/// <summary>
/// One entry of a root filesystem as commit-root reads it (lstat, getxattr): the model the metadata
/// writer turns into <c>.bootsafe/metadata.yaml</c> and the view serves back. Path relative to the
/// root without a leading slash, as ordinary text; permissions are the 07777 bits.
/// </summary>
public sealed record RootEntry(string Path, RootEntryType Type, uint Uid, uint Gid, int Permissions, uint Major = 0, uint Minor = 0, byte[]? Capability = null)
{
    /// <summary>Git holds this entry itself (a blob or symlink); directories only through what they contain.</summary>
    public bool InGit => Type is RootEntryType.File or RootEntryType.Symlink;

    /// <summary>Git keeps one bit of a file's mode: executable when the owner may execute.</summary>
    public bool IsExecutable => Type == RootEntryType.File && (Permissions & 0x40) != 0;

    /// <summary>The permission bits git-fs serves without the metadata file.</summary>
    public int ServedPermissions => Type switch
    {
        RootEntryType.File => IsExecutable ? 0x1ED : 0x1A4,
        RootEntryType.Symlink => 0x1FF,
        _ => 0x1ED,
    };
}
