using Webc.BootSafe.Specs.Mount.Support;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Mount;

/// <summary>
/// Caches are keyed by object and owned by one mount's view, never by path: two commits mounted at
/// once in one process, read in turn at the same paths, each serve exactly `git show REV:PATH`.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class TwoCommitsSpecs
{
    private static OracleRepo Repo => OracleRepo.Shared;

    [HostTheory]
    [InlineData("packed")]
    [InlineData("loose")]
    public void Two_commits_mounted_at_once_each_serve_their_own_bytes(string store)
    {
        var repo = store == "loose" ? Repo.Loose : Repo.Packed;
        using var first = new MountedCommit(repo, Repo.First);
        using var second = new MountedCommit(repo, Repo.Second);

        // Paths whose content differs between the two commits (a small file, a 3 MB blob that is
        // a delta in the packed store), and one that is the same in both.
        string[] paths = ["many/f00007", "big/medium.bin", "bin/tool"];
        for (var round = 0; round < 2; round++)
        {
            foreach (var path in paths)
            {
                foreach (var (mounted, rev) in new[] { (first, Repo.First), (second, Repo.Second) })
                {
                    var expected = GitShow(repo, rev, path);
                    var actual = File.ReadAllBytes(mounted.PathOf(path));
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"{path} at {rev[..8]} (round {round}) differs from git");
                }
            }
        }

        Assert.NotEqual(File.ReadAllBytes(first.PathOf("big/medium.bin")), File.ReadAllBytes(second.PathOf("big/medium.bin")));
        Assert.True(File.Exists(second.PathOf("names/added in second")));
        Assert.False(File.Exists(first.PathOf("names/added in second")));
        Assert.Equal(Repo.First + "\n", File.ReadAllText(first.PathOf(".git-fs-commit-id")));
        Assert.Equal(Repo.Second + "\n", File.ReadAllText(second.PathOf(".git-fs-commit-id")));
    }

    private static byte[] GitShow(string repo, string rev, string path)
    {
        using var dir = new TempDirectory();
        var file = System.IO.Path.Combine(dir.Path, "blob");
        Shell.Run("bash", ["-c", "git -C \"$1\" cat-file blob \"$2\" > \"$3\"", "-", repo, $"{rev}:{path}", file], null);
        return File.ReadAllBytes(file);
    }
}
