using FsCheck;
using FsCheck.Fluent;
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

    /// <summary>
    /// Reads by handle at the same random offsets, alternating between the two mounts: a cursor or
    /// window left at an offset by one commit's reader must never answer the other commit's read.
    /// The blob differs at bytes 1,000 and 2,000,000, so offsets near those are drawn often.
    /// </summary>
    [HostTheory("fusermount3")]
    [InlineData("packed")]
    [InlineData("loose")]
    public void Interleaved_reads_at_the_same_offsets_serve_each_commits_bytes(string store)
    {
        var repo = store == "loose" ? Repo.Loose : Repo.Packed;
        const string path = "big/medium.bin";
        var expected = new Dictionary<string, byte[]> { [Repo.First] = GitShow(repo, Repo.First, path), [Repo.Second] = GitShow(repo, Repo.Second, path) };
        Assert.False(expected[Repo.First].AsSpan().SequenceEqual(expected[Repo.Second]));

        using var first = new MountedCommit(repo, Repo.First);
        using var second = new MountedCommit(repo, Repo.Second);
        using var firstHandle = File.OpenHandle(first.PathOf(path));
        using var secondHandle = File.OpenHandle(second.PathOf(path));
        var length = expected[Repo.First].Length;
        var offsets = Gen.OneOf(Gen.Choose(0, length - 1), Gen.Choose(0, 4096), Gen.Choose(1_996_000, 2_004_000));
        var reads = offsets.Zip(Gen.Elements(1, 4096, 131_072, 1_000_000)).Zip(Gen.Elements(true, false)).ToArbitrary();
        Prop.ForAll(reads, r =>
        {
            var ((offset, size), firstFirst) = r;
            var order = firstFirst
                ? new[] { (firstHandle, Repo.First), (secondHandle, Repo.Second) }
                : new[] { (secondHandle, Repo.Second), (firstHandle, Repo.First) };
            foreach (var (handle, rev) in order)
            {
                var buffer = new byte[size];
                var n = ReadFully(handle, buffer, offset);
                var want = expected[rev].AsSpan(offset, Math.Min(size, length - offset));
                Assert.True(n == want.Length && want.SequenceEqual(buffer.AsSpan(0, n)), $"{size} bytes at {offset} of {rev[..8]} ({store}) differ from git");
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    private static int ReadFully(Microsoft.Win32.SafeHandles.SafeFileHandle handle, byte[] buffer, long offset)
    {
        var total = 0;
        int n;
        while (total < buffer.Length && (n = RandomAccess.Read(handle, buffer.AsSpan(total), offset + total)) > 0)
        {
            total += n;
        }

        return total;
    }

    private static byte[] GitShow(string repo, string rev, string path)
    {
        using var dir = new TempDirectory();
        var file = System.IO.Path.Combine(dir.Path, "blob");
        Shell.Run("bash", ["-c", "git -C \"$1\" cat-file blob \"$2\" > \"$3\"", "-", repo, $"{rev}:{path}", file], null);
        return File.ReadAllBytes(file);
    }
}
