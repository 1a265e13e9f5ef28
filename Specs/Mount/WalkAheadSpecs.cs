using Webc.BootSafe.Mount.View;
using Webc.BootSafe.Specs.Mount.Support;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Mount;

/// <summary>
/// Mount/View/WalkAhead.cs: a recursive walk has the listings it asks for next prepared on a second
/// thread, and what it then reads is exactly git's (every file's and link's size, against
/// `git archive`); a lone listing prepares nothing.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class WalkAheadSpecs
{
    private static OracleRepo Repo => OracleRepo.Shared;

    [HostFact("fusermount3")]
    public void A_walk_is_prepared_ahead_and_every_size_it_reads_is_gits()
    {
        var archive = Repo.Archive(Repo.Packed, Repo.Second, Path.Combine(Repo.Scratch("walk-ahead"), "root"));
        var expected = Sizes(archive);

        using var mounted = new MountedCommit(Repo.Packed, Repo.Second);
        var actual = Sizes(mounted.Root);
        actual.Remove(GitFsView.CommitIdFile);
        actual.Remove(GitFsView.TreeIdFile);

        Assert.True(expected.Count > OracleRepo.ManyFiles);
        var differing = expected.Where(e => actual.GetValueOrDefault(e.Key) != e.Value).Take(5)
            .Select(e => $"{e.Key}: git {e.Value}, mount {actual.GetValueOrDefault(e.Key) ?? "absent"}").ToList();
        Assert.True(differing.Count == 0 && actual.Count == expected.Count, string.Join("\n", differing) + $" ({actual.Count} paths against {expected.Count})");
        Assert.True(WaitFor(() => mounted.Mount.WalkAhead.Prepared > 0), "the walk prepared no directory ahead");
    }

    [HostFact("fusermount3")]
    public void A_lone_listing_prepares_nothing()
    {
        using var mounted = new MountedCommit(Repo.Packed, Repo.Second);

        var listing = Shell.Run("ls", ["-l", mounted.PathOf("home/webc")], null);

        Assert.Contains("docs", listing, StringComparison.Ordinal);
        Thread.Sleep(200);
        Assert.Equal(0, mounted.Mount.WalkAhead.Prepared);
    }

    /// <summary>Type and size (`find -printf %y %s`) of every file and symbolic link under <paramref name="root"/>.</summary>
    private static Dictionary<string, string> Sizes(string root)
    {
        var output = Shell.Run("find", [root, "-mindepth", "1", "(", "-type", "f", "-o", "-type", "l", ")", "-printf", @"%P\001%y %s\000"], null);
        return output.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(r => r.Split('\u0001'))
            .ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
    }

    private static bool WaitFor(Func<bool> condition)
    {
        for (var k = 0; k < 100 && !condition(); k++)
        {
            Thread.Sleep(50);
        }

        return condition();
    }
}
