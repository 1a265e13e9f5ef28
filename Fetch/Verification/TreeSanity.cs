using LibGit2Sharp;

namespace Webc.BootSafe.Fetch.Verification;

/// <summary>
/// Refuses trees that would be dangerous to mount or stage: entry names that escape a directory or
/// reach into git metadata, and anything but exactly one kernel and one initrd in <c>boot/</c>.
/// Webconverger copied whatever the glob matched, a directory listing included, when none did.
/// </summary>
public static class TreeSanity
{
    public static KernelPair Check(Commit commit, string? flavour)
    {
        CheckNames(commit.Tree, "", commit.Sha, []);
        var boot = commit.Tree["boot"];
        if (boot is not { TargetType: TreeEntryTargetType.Tree })
        {
            throw new VerificationFailedException($"commit {commit.Sha}: the tree has no boot/ directory, so no kernel");
        }

        var entries = ((Tree)boot.Target).ToList();
        var kernel = One(entries, "vmlinuz-", flavour, "kernel", commit.Sha);
        var initrd = One(entries, "initrd.img-", flavour, "initrd", commit.Sha);
        return new KernelPair("boot/" + kernel.Name, kernel.Target.Id, "boot/" + initrd.Name, initrd.Target.Id);
    }

    public static bool IsSafeName(string name) =>
        name.Length > 0
        && name is not ("." or "..")
        && !name.Equals(".git", StringComparison.OrdinalIgnoreCase)
        && !name.Contains('/') && !name.Contains('\0');

    private static void CheckNames(Tree tree, string prefix, string sha, HashSet<ObjectId> seen)
    {
        if (!seen.Add(tree.Id))
        {
            return;
        }

        foreach (var entry in tree)
        {
            if (!IsSafeName(entry.Name))
            {
                throw new VerificationFailedException(
                    $"commit {sha}: tree entry '{Printable(entry.Name)}' in '/{prefix}' is not allowed (., .., .git, '/' or NUL)");
            }

            if (entry.TargetType == TreeEntryTargetType.Tree)
            {
                CheckNames((Tree)entry.Target, prefix + entry.Name + "/", sha, seen);
            }
        }
    }

    private static TreeEntry One(List<TreeEntry> entries, string prefix, string? flavour, string what, string sha)
    {
        var suffix = flavour is null ? "" : "-" + flavour;
        var matches = entries
            .Where(e => e.Name.StartsWith(prefix, StringComparison.Ordinal) && e.Name.Length > prefix.Length
                        && e.Name.EndsWith(suffix, StringComparison.Ordinal))
            .ToList();
        var pattern = $"boot/{prefix}*{suffix}";
        return matches switch
        {
            [] => throw new VerificationFailedException($"commit {sha}: no {what} matching {pattern} in the tree"),
            [var only] when only.TargetType == TreeEntryTargetType.Blob && only.Mode is Mode.NonExecutableFile or Mode.ExecutableFile => only,
            [var only] => throw new VerificationFailedException($"commit {sha}: {what} {only.Path} is not a regular file ({only.Mode})"),
            _ => throw new VerificationFailedException(
                $"commit {sha}: {matches.Count} files match {pattern} ({string.Join(", ", matches.Select(m => m.Name))}); expected exactly one {what}"),
        };
    }

    private static string Printable(string name) => name.Replace("\0", "\\0", StringComparison.Ordinal);
}
