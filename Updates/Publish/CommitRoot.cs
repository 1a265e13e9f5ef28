using System.Text;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Git;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Mount.Metadata;

namespace Webc.BootSafe.Updates.Publish;

/// <summary>
/// Use case "commit-root": a root filesystem (directory or tarball) becomes one signed commit on a
/// branch of the release repository, with <c>.bootsafe/metadata.yaml</c> recording what git cannot
/// hold, so git-fs serves the same owners, modes, devices and capabilities as the source. Everything
/// it cannot represent, and everything fetch would refuse (names, the kernel pair), is refused as
/// one list before any object is written; the branch moves only after the commit passes fetch's own
/// tree check, and only from the tip it was read at (compare-and-swap).
/// </summary>
public static class CommitRoot
{
    public static CommitRootResult Run(CommitRootRequest request)
    {
        if (!Directory.Exists(request.Repository) || !(Directory.Exists(Path.Combine(request.Repository, ".git")) || File.Exists(Path.Combine(request.Repository, "HEAD"))))
        {
            throw new BadInputException($"--repo {request.Repository}: not a git repository");
        }

        if (RootTarball.IsTarball(request.Source))
        {
            using var unpacked = RootTarball.Unpack(request.Source);
            return Commit(request, unpacked.Directory);
        }

        if (!Directory.Exists(request.Source))
        {
            throw new BadInputException($"SOURCE {request.Source}: neither a directory nor a tarball");
        }

        return Commit(request, request.Source);
    }

    private static CommitRootResult Commit(CommitRootRequest request, string directory)
    {
        var git = new GitCli(request.Repository, Identity(request.Repository));
        var reference = request.Branch.StartsWith("refs/", StringComparison.Ordinal) ? request.Branch : "refs/heads/" + request.Branch;
        if (git.Run(["check-ref-format", reference], allowFailure: true) is null)
        {
            throw new BadInputException($"--branch {request.Branch}: not a valid branch name");
        }

        var tree = RootTree.Scan(directory);
        var refusals = tree.Refusals.Concat(Refusals(tree.Entries)).ToList();
        if (refusals.Count > 0)
        {
            throw new BadInputException($"{request.Source}: {refusals.Count} entr{(refusals.Count == 1 ? "y" : "ies")} cannot be committed: {string.Join("; ", refusals)}");
        }

        var parent = git.Run(["rev-parse", "--verify", "--quiet", reference + "^{commit}"], allowFailure: true);
        var metadata = MetadataWriter.Write(tree.Entries);
        var treeId = FastImportStream.WriteTree(git, tree, metadata);

        List<string> args = [.. SigningConfig(request.SigningKey), "commit-tree", "-S", "-m", request.Message];
        if (parent is { Length: > 0 })
        {
            args.AddRange(["-p", parent]);
        }

        args.Add(treeId);
        var commit = git.Run(args)!;

        // The gate fetch applies (names, kernel pair, metadata as mount reads it): a commit fetch
        // would refuse never becomes the branch tip.
        try
        {
            TreeSanity.Check(request.Repository, commit, flavour: null);
        }
        catch (VerificationFailedException e)
        {
            throw new BadInputException($"{request.Source}: fetch would refuse the result: {e.Message}", e);
        }

        git.Run(["update-ref", "-m", "commit-root", reference, commit, parent is { Length: > 0 } ? parent : new string('0', 40)]);
        return new CommitRootResult(commit, treeId, reference, parent is { Length: > 0 } ? parent : null, tree.Entries.Count, metadata is not null);
    }

    /// <summary>What fetch and git-fs would refuse, found on the entries before anything is written.</summary>
    public static IEnumerable<string> Refusals(IReadOnlyList<RootEntry> entries)
    {
        foreach (var entry in entries)
        {
            var name = entry.Path[(entry.Path.LastIndexOf('/') + 1)..];
            if (TreeRules.NameRefusal(Encoding.UTF8.GetBytes(name)) is { } why)
            {
                yield return $"{entry.Path}: {why}";
            }

            if (entry.Path == ".bootsafe" || entry.Path.StartsWith(".bootsafe/", StringComparison.Ordinal))
            {
                yield return $"{entry.Path}: .bootsafe/ is written by commit-root itself";
            }
        }

        var (directories, devices, rules) = MetadataWriter.Plan(entries);
        foreach (var entry in directories.Concat(devices).Concat(rules).Where(e => !MetadataWriter.IsExactPath(e.Path)))
        {
            yield return $"{entry.Path}: needs a metadata entry, and its name holds a glob character (* or ?)";
        }

        string? kernel = null;
        try
        {
            KernelPairRule.Find(default, Children(entries, ""), dir => Children(entries, "boot"), flavour: null);
        }
        catch (TreeRuleException e)
        {
            kernel = e.Message.Replace($"commit {default(Git.ObjectId)}: ", "", StringComparison.Ordinal);
        }

        if (kernel is not null)
        {
            yield return kernel;
        }
    }

    /// <summary>The tree entries git will hold in one directory (directories only when something below is held).</summary>
    private static List<TreeEntry> Children(IReadOnlyList<RootEntry> entries, string directory)
    {
        var prefix = directory.Length == 0 ? "" : directory + "/";
        var children = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => e.InGit && e.Path.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var rest = entry.Path[prefix.Length..];
            var slash = rest.IndexOf('/');
            children[slash < 0 ? rest : rest[..slash]] = slash >= 0 ? TreeEntry.DirectoryType
                : entry.Type == RootEntryType.Symlink ? TreeEntry.SymlinkType
                : entry.IsExecutable ? 0x81ED : 0x81A4;
        }

        return children.Select(c => new TreeEntry(c.Value, c.Key, default)).ToList();
    }

    /// <summary>An SSH key file signs as SSHSIG (gpg.format=ssh); anything else is an OpenPGP key id for gpg.</summary>
    private static string[] SigningConfig(string key) => File.Exists(key)
        ? ["-c", "gpg.format=ssh", "-c", "user.signingKey=" + Path.GetFullPath(key)]
        : ["-c", "gpg.format=openpgp", "-c", "user.signingKey=" + key];

    /// <summary>A committer identity when neither the environment nor git's configuration has one (an image builder often has none).</summary>
    private static Dictionary<string, string> Identity(string repository)
    {
        var env = new Dictionary<string, string>();
        var probe = new GitCli(repository);
        if (Environment.GetEnvironmentVariable("GIT_COMMITTER_NAME") is null && probe.Run(["config", "user.name"], allowFailure: true) is not { Length: > 0 })
        {
            env["GIT_AUTHOR_NAME"] = env["GIT_COMMITTER_NAME"] = "webc-bootsafe commit-root";
        }

        if (Environment.GetEnvironmentVariable("GIT_COMMITTER_EMAIL") is null && probe.Run(["config", "user.email"], allowFailure: true) is not { Length: > 0 })
        {
            env["GIT_AUTHOR_EMAIL"] = env["GIT_COMMITTER_EMAIL"] = "commit-root@localhost";
        }

        return env;
    }
}
