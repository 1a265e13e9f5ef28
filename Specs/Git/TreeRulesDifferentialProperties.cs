using Webc.BootSafe.Specs.Support;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Webc.BootSafe.Git;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.Specs.Lab;

namespace Webc.BootSafe.Specs.Git;

/// <summary>
/// Our tree rules against the real <c>git fsck</c>: generated trees (names in every spelling fsck
/// refuses and many it allows, standard, bad and zero-padded modes, shuffled order, duplicates, null
/// ids) are written raw with <c>git hash-object -t tree --literally</c>, wrapped in a commit on a
/// branch of a fresh repository, and judged by <c>git fsck --strict --no-dangling</c>.
/// The oracle: git refuses a tree when fsck exits non-zero or prints any line (error or warning)
/// naming the tree. Under --strict, fsck's warnings (hasDotgit, hasDot, hasDotdot, fullPathname,
/// emptyName, nullSha1, zeroPaddedFilemode) become errors, and its infos (badFilemode) are printed
/// as warnings with exit 0: so "any line" is what makes every one of them count. We must refuse
/// exactly those trees. FsCheck prints the seed of a failing run (Replay) to reproduce it.
/// </summary>
public sealed class TreeRulesDifferentialProperties : IDisposable
{
    private readonly TempDirectory _dir = new("treerules");
    private int _case;

    public void Dispose() => _dir.Dispose();

    public sealed record Entry(string Mode, byte[] Name, bool NullId)
    {
        public override string ToString() => $"{Mode} '{Escaped(Name)}'{(NullId ? " (null id)" : "")}";
    }

    public sealed record TreeCase(Entry[] Entries)
    {
        public override string ToString() => "[" + string.Join(", ", Entries.Select(e => e.ToString())) + "]";
    }

    private static readonly string[] Modes =
        ["100644", "100644", "100644", "100755", "120000", "40000", "40000", "160000",
         "100664", "100600", "100777", "0100644", "040000", "644", "40755", "120644", "10a644", ""];

    private static readonly string[] Names =
    [
        // allowed
        "a", "b", "A", "a.c", "a-b", "boot", "etc", "git", "gitx", ".gitx", ".gi", "..git", ".git~1", "git~2", " ok",
        "\u0130", ".\u0147it", "a\\b", "x:y", ".\u200Bgit",
        // refused
        "", ".", "..", "a/b", ".git", ".GIT", ".Git", "git~1", "GIT~1", ".git.", ".git ", ".git. .", ".git:x",
        "a\\.git", "x\\git~1", ".gi\u200Ct", "\u200C.git", ".git\u200D", ".g\uFEFFit", ".\u202Egit", "git~1 ",
    ];

    // Raw bytes beyond UTF-8: a stray byte after ".git" reads as the end of the name in git's HFS check; before it, not.
    private static readonly byte[][] RawNames = [[.. ".git"u8, 0xFF], [0xFF, .. ".git"u8], [.. ".gi"u8, 0xC0, 0x80, .. "t"u8]];

    private static Gen<byte[]> NameGen() =>
        Gen.Frequency(
            (9, Gen.Elements(Names).Select(n => Encoding.UTF8.GetBytes(n))),
            (1, Gen.Elements(RawNames)));

    private static Gen<Entry> EntryGen() =>
        from mode in Gen.Elements(Modes)
        from name in NameGen()
        from nullId in Gen.Frequency((19, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new Entry(mode, name, nullId);

    /// <summary>Mostly sorted in git's order (computed independently: a directory's name plus '/'), some shuffled, some with a duplicate.</summary>
    private static Arbitrary<TreeCase> Cases() =>
        (from entries in Gen.Choose(0, 6).SelectMany(n => EntryGen().ArrayOf(n))
         from order in Gen.Choose(0, 9)
         from dupe in Gen.Choose(0, 9)
         select new TreeCase(Arrange(entries, order, dupe))).ToArbitrary();

    private static Entry[] Arrange(Entry[] entries, int order, int dupe)
    {
        var list = entries.ToList();
        if (dupe == 0 && list.Count > 0)
        {
            list.Add(list[0] with { Mode = list[^1].Mode });
        }

        if (order < 7)
        {
            list = list.OrderBy(e => SortKey(e), ByteOrder.Instance).ToList();
        }
        else if (order < 9)
        {
            list.Reverse();
        }

        return [.. list];
    }

    private static byte[] SortKey(Entry e) => IsDirMode(e.Mode) ? [.. e.Name, (byte)'/'] : e.Name;

    private static bool IsDirMode(string mode) => mode.Length > 0 && mode.All(char.IsAsciiDigit) && (Convert.ToInt32(mode, 8) & 0xF000) == 0x4000;

    private static bool IsGitlinkMode(string mode) => mode.Length > 0 && mode.All(char.IsAsciiDigit) && (Convert.ToInt32(mode, 8) & 0xF000) == 0xE000;

    [Fact]
    public void Our_tree_rules_refuse_exactly_the_trees_git_fsck_strict_reports()
    {
        Prop.ForAll(Cases(), SameVerdict).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Theory]
    [InlineData("100644", ".git", true)]
    [InlineData("100644", "git~1", true)]
    [InlineData("100644", ".gi\u200Ct", true)]
    [InlineData("100644", "a\\.git", true)]
    [InlineData("0100644", "a", true)]
    [InlineData("100664", "a", true)]
    [InlineData("100644", "a", false)]
    [InlineData("40000", "a", false)]
    public void Single_entries_are_judged_as_git_fsck_judges_them(string mode, string name, bool refused)
    {
        var tree = new TreeCase([new Entry(mode, Encoding.UTF8.GetBytes(name), false)]);
        Assert.True(SameVerdict(tree), $"{tree}: ours and git's differ");
        Assert.Equal(refused, TreeRules.Refusal(Serialize(tree, Fixtures.Fake)) is not null);
    }

    [Fact]
    public void A_duplicate_file_and_directory_apart_in_sorted_order_is_refused_as_git_does()
    {
        // "a" (file) < "a.c" < "a/" (directory): sorted, but "a" twice.
        var tree = new TreeCase([new("100644", "a"u8.ToArray(), false), new("100644", "a.c"u8.ToArray(), false), new("40000", "a"u8.ToArray(), false)]);
        Assert.True(SameVerdict(tree));
        Assert.NotNull(TreeRules.Refusal(Serialize(tree, Fixtures.Fake)));
    }

    private bool SameVerdict(TreeCase tree)
    {
        var repo = Path.Combine(_dir.Path, $"r{Interlocked.Increment(ref _case)}");
        try
        {
            var raw = Serialize(tree, Fixtures.Real);
            var ours = TreeRules.Refusal(raw);
            var theirs = GitRefuses(repo, raw);
            if ((ours is not null) != (theirs is not null))
            {
                throw new Xunit.Sdk.XunitException($"{tree}: ours says {ours ?? "fine"}; git fsck --strict says {theirs ?? "fine"}");
            }

            return true;
        }
        finally
        {
            if (Directory.Exists(repo))
            {
                Directory.Delete(repo, recursive: true);
            }
        }
    }

    /// <summary>
    /// What git fsck --strict printed about the tree (or its exit code), or null when it accepted it.
    /// One shell per case (init, fixtures, the tree, a commit on main, fsck): a process start from
    /// .NET costs more than the git commands themselves.
    /// </summary>
    private static string? GitRefuses(string repo, byte[] raw)
    {
        Directory.CreateDirectory(repo);
        var file = Path.Combine(repo, "tree.bin");
        File.WriteAllBytes(file, raw);
        File.WriteAllBytes(Path.Combine(repo, "sub.bin"), [.. "100644 f\0"u8, .. Fixtures.Real.Blob]);
        const string script = """
            set -e
            git init -q --bare "$1/r"; cd "$1/r"
            printf 'x\n' | git hash-object -w --stdin >/dev/null
            git hash-object -t tree -w ../sub.bin >/dev/null
            tree=$(git hash-object -t tree --literally -w ../tree.bin)
            commit=$(git -c user.name=Spec -c user.email=spec@example.org commit-tree "$tree" -m case)
            git update-ref refs/heads/main "$commit"; git symbolic-ref HEAD refs/heads/main
            echo "$tree"
            set +e
            git fsck --strict --no-dangling --no-progress 2>&1
            echo "exit $?"
            """;
        var lines = Run.Command("bash", "-c", script, "case", repo).TrimEnd().Split('\n');
        var tree = lines[0].Trim();
        var exit = lines[^1];
        var said = lines[1..^1].Where(l => l.Contains(tree, StringComparison.Ordinal)).ToList();
        return exit != "exit 0" ? $"{exit}: {string.Join("; ", lines[1..^1])}"
            : said.Count > 0 ? string.Join("; ", said)
            : null;
    }

    private static byte[] Serialize(TreeCase tree, Fixtures fixtures)
    {
        var bytes = new MemoryStream();
        foreach (var e in tree.Entries)
        {
            bytes.Write(Encoding.ASCII.GetBytes(e.Mode + " "));
            bytes.Write(e.Name);
            bytes.WriteByte(0);
            bytes.Write(e.NullId ? new byte[20] : IsDirMode(e.Mode) ? fixtures.Tree : IsGitlinkMode(e.Mode) ? fixtures.Commit : fixtures.Blob);
        }

        return bytes.ToArray();
    }

    /// <summary>A fresh repository holding a blob, a valid tree and a commit for entries to point at (as each mode's object type).</summary>
    private sealed record Fixtures(byte[] Blob, byte[] Tree, byte[] Commit)
    {
        public static Fixtures Fake { get; } = new(Enumerable.Repeat((byte)1, 20).ToArray(), Enumerable.Repeat((byte)2, 20).ToArray(), Enumerable.Repeat((byte)3, 20).ToArray());

        /// <summary>The ids of the blob "x\n" and the tree holding it as "f", as git computes them (the case's shell writes both).</summary>
        public static Fixtures Real { get; } = Compute();

        private static Fixtures Compute()
        {
            var blob = System.Security.Cryptography.SHA1.HashData([.. "blob 2\0x\n"u8]);
            byte[] body = [.. "100644 f\0"u8, .. blob];
            var tree = System.Security.Cryptography.SHA1.HashData([.. Encoding.ASCII.GetBytes($"tree {body.Length}\0"), .. body]);
            // A gitlink names a commit of another repository; fsck does not follow it, any id serves.
            return new Fixtures(blob, tree, Enumerable.Repeat((byte)0xAB, 20).ToArray());
        }
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static ByteOrder Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    private static string Escaped(byte[] name) =>
        string.Concat(name.Select(b => b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:x2}"));
}
