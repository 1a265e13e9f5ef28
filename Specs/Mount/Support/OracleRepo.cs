namespace Webc.BootSafe.Specs.Mount.Support;

/// <summary>
/// One generated repository shared by the oracle, property and inode specs (building it is the
/// slow part): unicode and space names, 10,000 files in one directory, deep nesting, empty files,
/// a 100 MB file, symlinks (to a directory, dangling, absolute), executables, a submodule entry and
/// a metadata file. Two commits, so the packed copy holds deltas; the working repository keeps
/// every object loose.
/// </summary>
public sealed class OracleRepo : IDisposable
{
    public const int ManyFiles = 10_000;
    public const int LargeBytes = 100 * 1024 * 1024;
    public const int MediumBytes = 3 * 1024 * 1024 + 12_345;
    public const long CommitTime = 1_700_000_000;

    private static readonly Lazy<OracleRepo> Instance = new(() =>
    {
        var repo = new OracleRepo();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => repo.Dispose();
        return repo;
    });

    /// <summary>Built once per test run and shared by every mount spec class; removed at exit.</summary>
    public static OracleRepo Shared => Instance.Value;

    private readonly TempDirectory _dir = new("gitfs-spec");

    /// <summary>Working repository: all objects loose.</summary>
    public string Loose { get; }

    /// <summary>Bare clone repacked with deltas (large files kept whole).</summary>
    public string Packed { get; }

    public string First { get; }

    public string Second { get; }

    private OracleRepo()
    {
        var repo = GitRepo.Init(Path.Combine(_dir.Path, "work"));
        Loose = repo.Dir;
        var random = new Random(5);

        repo.Write("names/héllo wörld.txt", "unicode and spaces\n");
        repo.Write("names/日本語 ファイル", "cjk\n");
        repo.Write("names/ leading space", "leading\n");
        repo.Write("names/trailing space ", "trailing\n");
        repo.Write("names/emoji 🚀.md", "rocket\n");
        for (var i = 0; i < ManyFiles; i++)
        {
            repo.Write($"many/f{i:D5}", $"file {i}\n");
        }

        var deep = string.Join('/', Enumerable.Range(0, 40).Select(i => $"d{i}"));
        repo.Write($"deep/{deep}/leaf.txt", "deep leaf\n");
        repo.Write("empty/a", []);
        repo.Write("empty/.hidden", []);
        repo.Write("big/large.bin", Bytes(random, LargeBytes));
        var medium = Bytes(random, MediumBytes);
        repo.Write("big/medium.bin", medium);
        repo.Write("bin/tool", "#!/bin/sh\necho tool\n", executable: true);
        repo.Write("bin/data", "not executable\n");
        repo.Symlink("links/to-dir", "../names");
        repo.Symlink("links/dangling", "does/not/exist");
        repo.Symlink("links/absolute", "/etc/passwd");
        repo.Symlink("links/long", new string('x', 200));
        repo.Write("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nwebc:x:1000:1000::/home/webc:/bin/sh\n");
        repo.Write("etc/group", "root:x:0:\nwebc:x:1000:\nusers:x:100:\n");
        repo.Write("etc/sudoers", "root ALL=(ALL) ALL\n");
        repo.Write("home/webc/.profile", "export A=1\n");
        repo.Write("home/webc/docs/readme", "readme\n");
        repo.Write(".bootsafe/metadata.yaml", """
            version: 1
            rules:
              - path: "bin/*"
                mode: "0750"
              - path: "home/webc/**"
                owner: webc
                group: users
              - path: etc/sudoers
                mode: "0440"
              - path: "links/*"
                mode: "0600"
            directories:
              - path: tmp
                mode: "1777"
              - path: var/cache/extra
            """);
        repo.Git("add", "-A");
        repo.Submodule("vendor/sub", "1234567890abcdef1234567890abcdef12345678");
        First = repo.Commit("first");

        medium[1000] ^= 0xff;
        medium[2_000_000] ^= 0xff;
        repo.Write("big/medium.bin", medium);
        repo.Write("many/f00007", "changed\n");
        repo.Write("names/added in second", "second\n");
        Second = repo.Commit("second");

        Packed = Path.Combine(_dir.Path, "packed.git");
        Shell.Run("git", ["clone", "-q", "--bare", "--no-local", Loose, Packed], null);
        Shell.Run("git", ["-C", Packed, "-c", "core.bigFileThreshold=16m", "repack", "-q", "-a", "-d", "-f", "--window=10", "--depth=10"], null);
    }

    private static byte[] Bytes(Random random, int size)
    {
        var data = new byte[size];
        random.NextBytes(data);
        return data;
    }

    /// <summary>`git archive REV | tar -x` into a new directory (as root: owners and modes kept).</summary>
    public string Archive(string repo, string rev, string into)
    {
        Directory.CreateDirectory(into);
        Shell.Bash($"git -C '{repo}' -c tar.umask=0022 archive {rev} | tar -x -C '{into}'");
        return into;
    }

    public string Scratch(string name) => _dir.Sub(name);

    public void Dispose() => _dir.Dispose();
}
