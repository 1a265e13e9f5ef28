using Webc.BootSafe.Mount.View;
using Webc.BootSafe.Specs.Mount.Support;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Mount;

/// <summary>
/// The mounted commit must equal `git archive REV | tar -x` of the same commit: names, types,
/// modes, owners, link targets, times and bytes, with the metadata file's changes where it says so.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class MountOracleSpecs
{
    private static OracleRepo Repo => OracleRepo.Shared;

    public static TheoryData<string, string> Cases => new()
    {
        { "loose", "second" },
        { "packed", "first" },
    };

    [HostTheory("fusermount3")]
    [MemberData(nameof(Cases))]
    public void Mounted_commit_equals_git_archive_with_metadata_applied(string store, string which)
    {
        var repo = store == "loose" ? Repo.Loose : Repo.Packed;
        var rev = which == "first" ? Repo.First : Repo.Second;
        var archive = Repo.Archive(repo, rev, Path.Combine(Repo.Scratch($"archive-{store}-{which}"), "root"));
        var expected = WithMetadata(TreeListing.Of(archive));

        using var mounted = new MountedCommit(repo, rev);
        var actual = TreeListing.Of(mounted.Root);

        Assert.Equal(rev + "\n", File.ReadAllText(mounted.PathOf(GitFsView.CommitIdFile)));
        var tree = Shell.Run("git", ["-C", repo, "rev-parse", rev + "^{tree}"], null);
        Assert.Equal(tree, File.ReadAllText(mounted.PathOf(GitFsView.TreeIdFile)));
        actual.Remove(GitFsView.CommitIdFile);
        actual.Remove(GitFsView.TreeIdFile);

        var missing = expected.Keys.Except(actual.Keys).Take(5).ToList();
        var extra = actual.Keys.Except(expected.Keys).Take(5).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0, $"missing: {string.Join(", ", missing)}; extra: {string.Join(", ", extra)}");
        var differing = expected.Where(e => actual[e.Key] != e.Value).Take(5)
            .Select(e => $"{e.Key}: expected {e.Value}, got {actual[e.Key]}").ToList();
        Assert.True(differing.Count == 0, string.Join("\n", differing));
        Assert.True(expected.Count > OracleRepo.ManyFiles);

        foreach (var (path, facts) in expected.Where(e => e.Value.Type == 'f'))
        {
            AssertSameBytes(Path.Combine(archive, path), mounted.PathOf(path));
        }
    }

    /// <summary>The changes .bootsafe/metadata.yaml asks for, written out independently of the implementation.</summary>
    private static Dictionary<string, TreeEntryFacts> WithMetadata(Dictionary<string, TreeEntryFacts> archive)
    {
        var result = new Dictionary<string, TreeEntryFacts>(StringComparer.Ordinal);
        foreach (var (path, facts) in archive)
        {
            var f = facts;
            if (path.StartsWith("bin/", StringComparison.Ordinal) && !path[4..].Contains('/'))
            {
                f = f with { Mode = "750" };
            }

            if (path == "home/webc" || path.StartsWith("home/webc/", StringComparison.Ordinal))
            {
                f = f with { Uid = "1000", Gid = "100" };
            }

            if (path == "etc/sudoers")
            {
                f = f with { Mode = "440" };
            }

            result[path] = f;
        }

        var time = OracleRepo.CommitTime.ToString();
        result["tmp"] = new TreeEntryFacts('d', "1777", "0", "0", "", time);
        result["var"] = new TreeEntryFacts('d', "755", "0", "0", "", time);
        result["var/cache"] = new TreeEntryFacts('d', "755", "0", "0", "", time);
        result["var/cache/extra"] = new TreeEntryFacts('d', "755", "0", "0", "", time);
        return result;
    }

    private static void AssertSameBytes(string expectedPath, string actualPath)
    {
        using var a = File.OpenRead(expectedPath);
        using var b = File.OpenRead(actualPath);
        Assert.Equal(a.Length, b.Length);
        var bufA = new byte[1 << 20];
        var bufB = new byte[1 << 20];
        long position = 0;
        while (true)
        {
            var n = a.ReadAtLeast(bufA, bufA.Length, throwOnEndOfStream: false);
            var m = b.ReadAtLeast(bufB, n == 0 ? 1 : n, throwOnEndOfStream: false);
            Assert.True(n == m, $"{actualPath}: length differs near {position}");
            if (n == 0)
            {
                return;
            }

            Assert.True(bufA.AsSpan(0, n).SequenceEqual(bufB.AsSpan(0, n)), $"{actualPath}: bytes differ in [{position}, {position + n})");
            position += n;
        }
    }
}
