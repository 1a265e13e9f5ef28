using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Git;

/// <summary>
/// Where a repository keeps its refs and objects. Accepts a bare repository (the boot medium's
/// filesystem.git), a work tree with a .git directory, or a linked worktree whose .git file points
/// elsewhere (refs are per worktree for HEAD, shared through commondir for the rest).
/// </summary>
public sealed record GitDirectory(string GitDir, string CommonDir)
{
    public string ObjectsDir => Path.Combine(CommonDir, "objects");

    public static GitDirectory Open(string repo)
    {
        if (!Directory.Exists(repo))
        {
            throw new BadInputException($"--repo '{repo}': no such directory");
        }

        var gitDir = repo;
        var dotGit = Path.Combine(repo, ".git");
        if (Directory.Exists(dotGit))
        {
            gitDir = dotGit;
        }
        else if (File.Exists(dotGit))
        {
            var line = File.ReadAllText(dotGit).Trim();
            const string prefix = "gitdir:";
            if (!line.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new BadInputException($"--repo '{repo}': .git file does not start with 'gitdir:'");
            }

            gitDir = Path.GetFullPath(line[prefix.Length..].Trim(), repo);
        }

        var commonDir = gitDir;
        var commonFile = Path.Combine(gitDir, "commondir");
        if (File.Exists(commonFile))
        {
            commonDir = Path.GetFullPath(File.ReadAllText(commonFile).Trim(), gitDir);
        }

        if (!Directory.Exists(Path.Combine(commonDir, "objects")) || !File.Exists(Path.Combine(gitDir, "HEAD")))
        {
            throw new BadInputException($"--repo '{repo}': not a git repository (no objects/ or HEAD)");
        }

        return new GitDirectory(gitDir, commonDir);
    }
}
