using Webc.BootSafe.Git;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Git;

/// <summary>
/// A pack index is loaded once per process while its file is unchanged (a fetch opens the
/// medium's objects several times), and read afresh when another file takes its name, as git's
/// repack does by renaming a new index over it.
/// </summary>
public sealed class PackIndexCacheSpecs : IDisposable
{
    private readonly TempDirectory _dir = new("idxcache");

    public void Dispose() => _dir.Dispose();

    private string PackedRepository(string name, int commits)
    {
        var repo = _dir.Combine(name);
        Run.Command("git", "init", "-q", repo);
        for (var i = 0; i < commits; i++)
        {
            File.WriteAllText(Path.Combine(repo, $"f{i}"), $"{name} {i}\n");
            Run.Command("git", "-C", repo, "add", "-A");
            Run.Command("git", "-C", repo, "-c", "user.name=Spec", "-c", "user.email=spec@example.org", "commit", "-q", "-m", $"c{i}");
        }

        Run.Command("git", "-C", repo, "repack", "-q", "-a", "-d");
        return Directory.GetFiles(Path.Combine(repo, ".git", "objects", "pack"), "*.idx").Single();
    }

    [Fact]
    public void An_unchanged_index_is_shared_and_one_renamed_over_it_is_read_afresh()
    {
        var small = PackedRepository("small", 1);
        var large = PackedRepository("large", 5);
        var first = PackIndex.Load(small);

        Assert.Same(first, PackIndex.Load(small));

        var replacement = small + ".new";
        File.Copy(large, replacement);
        File.Move(replacement, small, overwrite: true);
        var second = PackIndex.Load(small);

        Assert.NotSame(first, second);
        Assert.Equal(GitCount(large), second.Count);
        Assert.NotEqual(GitCount(large), first.Count);
    }

    /// <summary>The objects git's own reader lists in the index.</summary>
    private static int GitCount(string idx) =>
        int.Parse(Run.Command("bash", "-c", "git show-index < \"$1\" | wc -l", "count", idx).Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
