using System.Text;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Publish;

/// <summary>Two roots compared entry by entry with lstat, readlink, the bytes and getxattr(security.capability).</summary>
public static class RootComparison
{
    public const string Capability = "security.capability";

    /// <summary>Every path below a root (lstat walk, symlinks not followed), relative, without the root.</summary>
    public static List<string> Walk(string root)
    {
        var paths = new List<string>();
        void Visit(string full, string relative)
        {
            foreach (var child in Directory.EnumerateFileSystemEntries(full))
            {
                var name = Path.GetFileName(child);
                var path = relative.Length == 0 ? name : relative + "/" + name;
                paths.Add(path);
                if ((Libc.LStat(child).Mode & 0xF000) == 0x4000)
                {
                    Visit(child, path);
                }
            }
        }

        Visit(root, "");
        return paths;
    }

    /// <summary>The differences between the source and the mount for each path (empty when equal).</summary>
    public static List<string> Differences(string source, string mounted, IEnumerable<string> paths)
    {
        var differences = new List<string>();
        foreach (var path in paths)
        {
            var a = Path.Combine(source, path);
            var b = Path.Combine(mounted, path);
            if (!Path.Exists(b) && !File.Exists(b) && new FileInfo(b).LinkTarget is null)
            {
                differences.Add($"{path}: missing in the mount");
                continue;
            }

            var sa = Libc.LStat(a);
            var sb = Libc.LStat(b);
            var type = sa.Mode & 0xF000;
            var expectedMode = type == 0xA000 ? sa.Mode & 0xF000 : sa.Mode;
            var actualMode = type == 0xA000 ? sb.Mode & 0xF000 : sb.Mode;
            if ((expectedMode, sa.Uid, sa.Gid) != (actualMode, sb.Uid, sb.Gid))
            {
                differences.Add($"{path}: mode {Convert.ToString(sa.Mode, 8)} {sa.Uid}:{sa.Gid} served as {Convert.ToString(sb.Mode, 8)} {sb.Uid}:{sb.Gid}");
            }

            if (type is 0x2000 or 0x6000 && (sa.RDevMajor, sa.RDevMinor) != (sb.RDevMajor, sb.RDevMinor))
            {
                differences.Add($"{path}: device {sa.RDevMajor},{sa.RDevMinor} served as {sb.RDevMajor},{sb.RDevMinor}");
            }

            if (type == 0xA000 && new FileInfo(a).LinkTarget != new FileInfo(b).LinkTarget)
            {
                differences.Add($"{path}: link target {new FileInfo(a).LinkTarget} served as {new FileInfo(b).LinkTarget}");
            }

            if (type == 0x8000)
            {
                if (!File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b)))
                {
                    differences.Add($"{path}: content differs");
                }

                var ca = Libc.GetXattr(a, Capability);
                var cb = Libc.GetXattr(b, Capability);
                if (!(ca ?? []).AsSpan().SequenceEqual(cb ?? []) || (ca is null) != (cb is null))
                {
                    differences.Add($"{path}: capability {Hex(ca)} served as {Hex(cb)}");
                }
            }
        }

        return differences;
    }

    private static string Hex(byte[]? value) => value is null ? "none" : Convert.ToHexString(value);
}
