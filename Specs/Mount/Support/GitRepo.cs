namespace Webc.BootSafe.Specs.Mount.Support;

/// <summary>A repository built with the real git CLI, with fixed identities and dates.</summary>
public sealed class GitRepo(string dir)
{
    public string Dir => dir;

    public static GitRepo Init(string dir)
    {
        Directory.CreateDirectory(dir);
        Shell.Run("git", ["init", "-q", "-b", "main", dir], null);
        return new GitRepo(dir);
    }

    public string Git(params string[] args) => Shell.Run("git", args, dir, Env);

    public static readonly Dictionary<string, string> Env = new()
    {
        ["GIT_AUTHOR_NAME"] = "Spec",
        ["GIT_AUTHOR_EMAIL"] = "spec@example.org",
        ["GIT_COMMITTER_NAME"] = "Spec",
        ["GIT_COMMITTER_EMAIL"] = "spec@example.org",
        ["GIT_AUTHOR_DATE"] = "1700000000 +0100",
        ["GIT_COMMITTER_DATE"] = "1700000000 +0100",
    };

    public void Write(string path, byte[] content, bool executable = false)
    {
        var full = Path.Combine(dir, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        if (executable && OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(full, File.GetUnixFileMode(full) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
    }

    public void Write(string path, string content, bool executable = false) =>
        Write(path, System.Text.Encoding.UTF8.GetBytes(content), executable);

    public void Symlink(string path, string target)
    {
        var full = Path.Combine(dir, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.CreateSymbolicLink(full, target);
    }

    /// <summary>A gitlink entry (submodule) without a .gitmodules checkout.</summary>
    public void Submodule(string path, string commit) =>
        Git("update-index", "--add", "--cacheinfo", $"160000,{commit},{path}");

    public string Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }
}
