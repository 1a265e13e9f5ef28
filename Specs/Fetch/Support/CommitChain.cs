namespace Webc.BootSafe.Specs.Fetch.Support;

/// <summary>
/// A bare repository holding a chain of empty-tree commits, made with the git CLI, and its
/// refs/bootsafe/* as git lists them: what the ref specs write into and read back.
/// </summary>
public static class CommitChain
{
    /// <summary>Creates <paramref name="repo"/> with <paramref name="count"/> commits, oldest first.</summary>
    public static string[] Make(string repo, int count)
    {
        Processes.Run("git", ["init", "-q", "--bare", repo]);
        var tree = Processes.Run("git", ["-C", repo, "mktree"], stdin: "").Trim();
        var commits = new List<string>();
        string? parent = null;
        for (var i = 0; i < count; i++)
        {
            string[] args = ["-C", repo, "-c", "user.email=s@example.org", "-c", "user.name=specs", "commit-tree", tree, "-m", $"r{i}"];
            parent = Processes.Run("git", parent is null ? args : [.. args, "-p", parent]).Trim();
            commits.Add(parent);
        }

        return [.. commits];
    }

    /// <summary>refs/bootsafe/NAME to object name, as `git for-each-ref` lists them (a broken ref it skips).</summary>
    public static IReadOnlyDictionary<string, string> BootSafeRefs(string repo) =>
        Processes.Run("git", ["-C", repo, "for-each-ref", "--format=%(refname) %(objectname)", "refs/bootsafe/"])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0]["refs/bootsafe/".Length..], p => p[1]);
}
