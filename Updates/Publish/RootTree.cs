using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Mount.Metadata;

namespace Webc.BootSafe.Updates.Publish;

/// <summary>
/// A root filesystem directory read with lstat and getxattr: every entry (the root itself excluded)
/// with its full path on disk, and the reasons it cannot be committed. Hard links are read as
/// separate files (git has no links; each path gets its own copy of the content).
/// </summary>
public sealed class RootTree
{
    /// <summary>The one extended attribute git-fs can serve.</summary>
    public const string CapabilityXattr = "security.capability";

    public required string Directory { get; init; }

    public required IReadOnlyList<RootEntry> Entries { get; init; }

    public required IReadOnlyList<string> Refusals { get; init; }

    public string FullPath(RootEntry entry) => Path.Combine(Directory, entry.Path);

    public static RootTree Scan(string directory)
    {
        var root = Libc.LStat(directory);
        var entries = new List<RootEntry>();
        var refusals = new List<string>();
        Walk(directory, "", root, entries, refusals);
        return new RootTree { Directory = directory, Entries = entries, Refusals = refusals };
    }

    private static void Walk(string full, string relative, Libc.LinkStat root, List<RootEntry> entries, List<string> refusals)
    {
        foreach (var child in System.IO.Directory.EnumerateFileSystemEntries(full).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(child);
            var path = relative.Length == 0 ? name : relative + "/" + name;
            if (name.Contains('\uFFFD'))
            {
                refusals.Add($"{path}: the name is not valid UTF-8");
                continue;
            }

            var stat = Libc.LStat(child);
            if (stat.DevMajor != root.DevMajor || stat.DevMinor != root.DevMinor)
            {
                refusals.Add($"{path}: on another file system (a mount inside the root: unmount /proc, /sys, /dev and the like first)");
                continue;
            }

            var type = (stat.Mode & 0xF000) switch
            {
                0x4000 => RootEntryType.Directory,
                0x8000 => RootEntryType.File,
                0xA000 => RootEntryType.Symlink,
                0x2000 => RootEntryType.CharDevice,
                0x6000 => RootEntryType.BlockDevice,
                0x1000 => RootEntryType.Fifo,
                _ => RootEntryType.Socket,
            };
            if (type == RootEntryType.Socket)
            {
                refusals.Add($"{path}: a socket (git-fs cannot serve one; it is made at run time anyway)");
                continue;
            }

            if (type == RootEntryType.Symlink && new FileInfo(child).LinkTarget is { } target && target.Contains('\uFFFD'))
            {
                refusals.Add($"{path}: the link target is not valid UTF-8");
                continue;
            }

            byte[]? capability = null;
            foreach (var xattr in Libc.ListXattrs(child))
            {
                if (xattr == CapabilityXattr && type == RootEntryType.File)
                {
                    capability = Libc.GetXattr(child, xattr);
                }
                else
                {
                    refusals.Add($"{path}: extended attribute {xattr} (only {CapabilityXattr} on a regular file is kept; an ACL is system.posix_acl_*)");
                }
            }

            entries.Add(new RootEntry(path, type, stat.Uid, stat.Gid, (int)(stat.Mode & 0xFFF), stat.RDevMajor, stat.RDevMinor, capability));
            if (type == RootEntryType.Directory)
            {
                Walk(child, path, root, entries, refusals);
            }
        }
    }
}
