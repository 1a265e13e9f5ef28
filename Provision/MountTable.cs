using System.Text;

namespace Webc.BootSafe.Provision;

/// <summary>One line of /proc/self/mountinfo: which device ("major:minor", and its source) is mounted where.</summary>
public sealed record MountEntry(string DeviceNumber, string MountPoint, string FileSystem, string Source);

/// <summary>The mounts the running system has, read from /proc/self/mountinfo.</summary>
public static class MountTable
{
    public const string ProcMountInfo = "/proc/self/mountinfo";

    public static IReadOnlyList<MountEntry> Read(string path = ProcMountInfo) => Parse(File.ReadAllText(path));

    public static IReadOnlyList<MountEntry> Parse(string text)
    {
        var entries = new List<MountEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
            var fields = line.Split(' ');
            var dash = Array.IndexOf(fields, "-");
            if (fields.Length < 5 || dash < 5 || dash + 2 >= fields.Length)
            {
                continue;
            }

            entries.Add(new MountEntry(fields[2], Unescape(fields[4]), fields[dash + 1], Unescape(fields[dash + 2])));
        }

        return entries;
    }

    /// <summary>The entry that holds <paramref name="path"/>: the longest mount point that is a prefix of it.</summary>
    public static MountEntry? Holding(IReadOnlyList<MountEntry> mounts, string path)
    {
        var full = Path.GetFullPath(path);
        var holding = mounts
            .Where(m => full == m.MountPoint || m.MountPoint == "/" || full.StartsWith(m.MountPoint + "/", StringComparison.Ordinal))
            .ToList();
        // The longest mount point wins; among equal ones the last mounted, which hides the others.
        return holding.Count == 0 ? null : holding.Last(m => m.MountPoint.Length == holding.Max(o => o.MountPoint.Length));
    }

    // mountinfo escapes space, tab, newline and backslash as \ooo octal.
    private static string Unescape(string field)
    {
        if (!field.Contains('\\'))
        {
            return field;
        }

        var bytes = new List<byte>();
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                bytes.Add((byte)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(field[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static bool IsOctal(string s, int at) =>
        at + 3 <= s.Length && s.Substring(at, 3).All(c => c is >= '0' and <= '7');
}
