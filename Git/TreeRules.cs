using System.Text;

namespace Webc.BootSafe.Git;

/// <summary>
/// The one set of tree rules: a tree is accepted only if <c>git fsck --strict</c> would say nothing
/// about it. Fetch, stage and install refuse a commit with any tree that breaks a rule; git-fs hides
/// the entries a rule names (see docs/git-fs.md). Written from git's fsck_tree, verify_ordered,
/// is_hfs_dotgit and is_ntfs_dotgit, whose facts are:
/// <list type="bullet">
/// <item>an entry is "MODE SP NAME NUL 20-byte-id"; the mode is octal digits, a leading '0' is
/// refused (zeroPaddedFilemode) and only 100644, 100755, 120000, 40000, 160000 are standard
/// (badFilemode; 100664 too under --strict);</item>
/// <item>names: not empty, not "." or "..", no '/', never an all-zero id;</item>
/// <item>".git" in any spelling a checkout on NTFS or HFS+ would write as .git: any case, NTFS
/// trailing dots and spaces, the 8.3 alias "git~1", an NTFS stream (".git:x"), any part after a
/// backslash, and HFS+ ignorable code points (U+200C..U+200F, U+202A..U+202E, U+206A..U+206F,
/// U+FEFF) anywhere inside;</item>
/// <item>entries sorted in git's order, where a directory's name compares as if it ended in '/';
/// no name twice (even a file and a directory, even apart);</item>
/// <item>".gitmodules" (HFS or NTFS spelling) must not be a symlink.</item>
/// </list>
/// </summary>
public static class TreeRules
{
    private const int RegularFile = 0x81A4;      // 100644
    private const int ExecutableFile = 0x81ED;   // 100755

    /// <summary>What is wrong with a raw tree object, or null if git fsck --strict would accept it.</summary>
    public static string? Refusal(ReadOnlySpan<byte> body)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        string? previous = null;
        var previousIsDir = false;
        var pos = 0;
        while (pos < body.Length)
        {
            var rest = body[pos..];
            var space = rest.IndexOf((byte)' ');
            var nul = rest.IndexOf((byte)0);
            if (space <= 0 || nul < space || pos + nul + 1 + ObjectId.Size > body.Length)
            {
                return $"malformed entry at byte {pos}";
            }

            var modeText = rest[..space];
            var mode = 0;
            foreach (var digit in modeText)
            {
                if (digit is < (byte)'0' or > (byte)'7' || mode > 0x7FFFFFF)
                {
                    return $"malformed mode '{Printable(modeText)}' at byte {pos}";
                }

                mode = (mode << 3) | (digit - '0');
            }

            var nameBytes = rest[(space + 1)..nul];
            var name = Encoding.Latin1.GetString(nameBytes);
            var id = rest.Slice(nul + 1, ObjectId.Size);
            pos += nul + 1 + ObjectId.Size;

            if (NameRefusal(nameBytes) is { } bad)
            {
                return $"tree entry '{Printable(nameBytes)}' is not allowed ({bad})";
            }

            if (modeText[0] == (byte)'0')
            {
                return $"tree entry '{Printable(nameBytes)}' has a zero-padded mode {Printable(modeText)}";
            }

            var isDir = (mode & TreeEntry.TypeMask) == TreeEntry.DirectoryType;
            if (mode is not (RegularFile or ExecutableFile or TreeEntry.SymlinkType or TreeEntry.DirectoryType or TreeEntry.GitlinkType))
            {
                return $"tree entry '{Printable(nameBytes)}' has a bad mode {Printable(modeText)}";
            }

            if (!id.ContainsAnyExcept((byte)0))
            {
                return $"tree entry '{Printable(nameBytes)}' points to the null object id";
            }

            if (mode == TreeEntry.SymlinkType && IsDotGitModules(nameBytes))
            {
                return $"tree entry '{Printable(nameBytes)}' is a .gitmodules that is a symbolic link";
            }

            if (!names.Add(name))
            {
                return $"tree entry '{Printable(nameBytes)}' appears twice";
            }

            if (previous is not null && !InGitOrder(previous, previousIsDir, name, isDir))
            {
                return $"tree entries are not sorted as git sorts them ('{Printable(previous)}' before '{Printable(nameBytes)}')";
            }

            previous = name;
            previousIsDir = isDir;
        }

        return null;
    }

    /// <summary>
    /// Whether a name may be served or checked out: not empty, ".", "..", no '/' or NUL, and no
    /// spelling of ".git". Names are bytes mapped onto chars one-to-one (Latin-1), as in <see cref="TreeEntry"/>.
    /// </summary>
    public static bool IsAllowedName(string name) => NameRefusal(Encoding.Latin1.GetBytes(name)) is null;

    /// <summary>Why a name is refused (".", "..", ".git", '/' or NUL), or null.</summary>
    public static string? NameRefusal(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty)
        {
            return "empty name";
        }

        if (name.SequenceEqual("."u8) || name.SequenceEqual(".."u8))
        {
            return "., .., .git, '/' or NUL";
        }

        if (name.Contains((byte)'/') || name.Contains((byte)0))
        {
            return "., .., .git, '/' or NUL";
        }

        if (IsHfsDot(name, "git"u8) || IsNtfsDotGit(name))
        {
            return "., .., .git, '/' or NUL: a spelling of .git";
        }

        // Windows reads a backslash as a separator: every part after one is a name of its own.
        for (var i = name.IndexOf((byte)'\\'); i >= 0; i = NextBackslash(name, i))
        {
            if (IsNtfsDotGit(name[(i + 1)..]))
            {
                return "., .., .git, '/' or NUL: a spelling of .git after a backslash";
            }
        }

        return null;
    }

    private static int NextBackslash(ReadOnlySpan<byte> name, int i)
    {
        var next = name[(i + 1)..].IndexOf((byte)'\\');
        return next < 0 ? -1 : i + 1 + next;
    }

    /// <summary>
    /// git's tree order: bytes compared as unsigned; where one name is a prefix of the other, the
    /// shorter one continues with '/' if it is a directory and ends there otherwise.
    /// </summary>
    public static int Compare(string a, bool aIsDir, string b, bool bIsDir)
    {
        var len = Math.Min(a.Length, b.Length);
        for (var i = 0; i < len; i++)
        {
            if (a[i] != b[i])
            {
                return a[i] < b[i] ? -1 : 1;
            }
        }

        int c1 = a.Length > len ? a[len] : aIsDir ? '/' : 0;
        int c2 = b.Length > len ? b[len] : bIsDir ? '/' : 0;
        return c1.CompareTo(c2);
    }

    private static bool InGitOrder(string previous, bool previousIsDir, string name, bool isDir) =>
        Compare(previous, previousIsDir, name, isDir) < 0;

    /// <summary>is_ntfs_dotgit: ".git" or "git~1" in any case, then only dots and spaces up to the end, a backslash or a colon.</summary>
    private static bool IsNtfsDotGit(ReadOnlySpan<byte> name)
    {
        int rest;
        if (StartsWithIgnoreCase(name, ".git"u8))
        {
            rest = 4;
        }
        else if (name.Length >= 5 && StartsWithIgnoreCase(name, "git"u8) && name[3] == (byte)'~' && name[4] == (byte)'1')
        {
            rest = 5;
        }
        else
        {
            return false;
        }

        for (; rest < name.Length; rest++)
        {
            var c = name[rest];
            if (c is (byte)'\\' or (byte)'/' or (byte)':')
            {
                return true;
            }

            if (c is not ((byte)'.' or (byte)' '))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// is_hfs_dot_generic: "." then the needle (ASCII, any case) then the end or '/', skipping the
    /// code points HFS+ ignores. As in git, malformed UTF-8 reads as the end of the name, so
    /// ".git" followed by a stray byte counts as ".git", and a stray byte before it does not.
    /// </summary>
    private static bool IsHfsDot(ReadOnlySpan<byte> name, ReadOnlySpan<byte> needle)
    {
        var pos = 0;
        if (NextHfsChar(name, ref pos) != '.')
        {
            return false;
        }

        foreach (var n in needle)
        {
            var c = NextHfsChar(name, ref pos);
            if (c > 127 || char.ToLowerInvariant((char)c) != n)
            {
                return false;
            }
        }

        var last = NextHfsChar(name, ref pos);
        return last is 0 or '/';
    }

    private static bool IsDotGitModules(ReadOnlySpan<byte> name)
    {
        if (IsHfsDot(name, "gitmodules"u8))
        {
            return true;
        }

        // The NTFS spellings git checks: ".gitmodules" with trailing dots/spaces, and the 8.3 aliases gitmod~1..4.
        if (StartsWithIgnoreCase(name, ".gitmodules"u8))
        {
            return !name[11..].ContainsAnyExcept((byte)'.', (byte)' ');
        }

        return name.Length >= 8 && StartsWithIgnoreCase(name, "gitmod~"u8) && name[7] is >= (byte)'1' and <= (byte)'4'
            && !name[8..].ContainsAnyExcept((byte)'.', (byte)' ');
    }

    /// <summary>The next code point that HFS+ does not ignore; 0 at the end or on malformed UTF-8 (as git's next_hfs_char).</summary>
    private static int NextHfsChar(ReadOnlySpan<byte> s, ref int pos)
    {
        while (true)
        {
            if (pos < 0 || pos >= s.Length)
            {
                return 0;
            }

            var c = PickUtf8(s, ref pos);
            if (pos < 0)
            {
                return 0;
            }

            if (c is >= 0x200C and <= 0x200F or >= 0x202A and <= 0x202E or >= 0x206A and <= 0x206F or 0xFEFF)
            {
                continue;
            }

            return c;
        }
    }

    /// <summary>git's pick_one_utf8_char: refuses overlong forms, surrogates, U+FFFE/U+FFFF and beyond U+10FFFF (pos becomes -1).</summary>
    private static int PickUtf8(ReadOnlySpan<byte> s, ref int pos)
    {
        var at = pos;
        var b0 = s[at];
        int b1 = at + 1 < s.Length ? s[at + 1] : 0, b2 = at + 2 < s.Length ? s[at + 2] : 0, b3 = at + 3 < s.Length ? s[at + 3] : 0;
        if (b0 < 0x80)
        {
            pos += 1;
            return b0;
        }

        if ((b0 & 0xE0) == 0xC0)
        {
            if (!IsContinuation(b1) || (b0 & 0xFE) == 0xC0)
            {
                pos = -1;
                return 0;
            }

            var ch = ((b0 & 0x1F) << 6) | (b1 & 0x3F);
            pos += 2;
            return ch;
        }

        if ((b0 & 0xF0) == 0xE0)
        {
            if (!IsContinuation(b1) || !IsContinuation(b2) || (b0 == 0xE0 && (b1 & 0xE0) == 0x80) || (b0 == 0xED && (b1 & 0xE0) == 0xA0)
                || (b0 == 0xEF && b1 == 0xBF && (b2 & 0xFE) == 0xBE))
            {
                pos = -1;
                return 0;
            }

            var ch = ((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
            pos += 3;
            return ch;
        }

        if ((b0 & 0xF8) == 0xF0)
        {
            if (!IsContinuation(b1) || !IsContinuation(b2) || !IsContinuation(b3) || (b0 == 0xF0 && (b1 & 0xF0) == 0x80) || (b0 == 0xF4 && b1 > 0x8F) || b0 > 0xF4)
            {
                pos = -1;
                return 0;
            }

            var ch = ((b0 & 0x07) << 18) | ((b1 & 0x3F) << 12) | ((b2 & 0x3F) << 6) | (b3 & 0x3F);
            pos += 4;
            return ch;
        }

        pos = -1;
        return 0;
    }

    private static bool IsContinuation(int b) => (b & 0xC0) == 0x80;

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> name, ReadOnlySpan<byte> prefix)
    {
        if (name.Length < prefix.Length)
        {
            return false;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            if (char.ToLowerInvariant((char)name[i]) != prefix[i])
            {
                return false;
            }
        }

        return true;
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (var b in bytes)
        {
            text.Append(b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:x2}");
        }

        return text.ToString();
    }

    private static string Printable(string latin1) => Printable(Encoding.Latin1.GetBytes(latin1));
}
