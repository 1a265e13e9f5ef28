using System.Text;
using Webc.BootSafe.Mount.Fuse;
using Webc.BootSafe.Mount.View;
using Webc.BootSafe.Specs.Mount.Support;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Mount;

/// <summary>
/// `mount --with-git` (issue 18, the seed's debug `mount_git`): the repository the commit is read
/// from appears read-only at /.git of the mounted root. The real git CLI is the oracle: reading the
/// repository through the mount gives what reading it directly gives, writes fail with EROFS and
/// leave the repository as it was, and without the option there is no /.git.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class WithGitSpecs
{
    private static readonly string Cli = Path.Combine(RepoPaths.Root, "Cli", "bin", "Release", "net10.0", "webc-bootsafe.dll");

    [HostFact("fusermount3")]
    public void With_git_the_git_cli_reads_the_repository_at_dot_git_as_it_reads_the_source()
    {
        using var dir = new TempDirectory("gitfs-spec");
        var repo = History(dir.Sub("repo"));
        var source = Path.Combine(repo.Dir, ".git");
        var mountPoint = dir.Sub("mnt");
        var served = repo.Git("rev-parse", "HEAD~2").Trim();
        try
        {
            var mounted = Shell.Try("dotnet", [Cli, "mount", "--repo", repo.Dir, "--rev", served, "--with-git", mountPoint]);
            Assert.True(mounted.ExitCode == 0, mounted.Stderr);
            var dotGit = Path.Combine(mountPoint, ".git");

            // Every path with its kind, size, mode and link target, and every file's bytes, as on disk.
            Assert.Equal(Listing(source), Listing(dotGit));
            Assert.Equal(Contents(source), Contents(dotGit));

            string Git(string gitDir, params string[] args) => Shell.Run("git", ["--git-dir=" + gitDir, .. args], null, GitRepo.Env);
            Assert.Equal(Git(source, "rev-parse", "HEAD"), Git(dotGit, "rev-parse", "HEAD"));
            Assert.Equal(served + "\n", File.ReadAllText(Path.Combine(mountPoint, GitFsView.CommitIdFile)));
            Assert.Equal(Git(source, "cat-file", "-p", served), Git(dotGit, "cat-file", "-p", served));
            Assert.Equal(Git(source, "log", "--all", "--format=%H %T %s"), Git(dotGit, "log", "--all", "--format=%H %T %s"));
            Assert.Equal(Git(source, "fsck", "--full", "--strict"), Git(dotGit, "fsck", "--full", "--strict"));

            var before = Contents(source);
            var writes = new (string What, string[] Command)[]
            {
                ("overwrite", ["sh", "-c", $"echo x > '{dotGit}/HEAD'"]),
                ("create", ["touch", Path.Combine(dotGit, "new-file")]),
                ("mkdir", ["mkdir", Path.Combine(dotGit, "refs", "new-dir")]),
                ("unlink", ["rm", "-f", Path.Combine(dotGit, "config")]),
                ("chmod", ["chmod", "777", Path.Combine(dotGit, "objects")]),
                ("update-ref", ["git", "--git-dir=" + dotGit, "update-ref", "refs/heads/through-the-mount", served]),
            };
            foreach (var (what, command) in writes)
            {
                var result = Shell.Try(command[0], command[1..], null, GitRepo.Env);
                Assert.True(result.ExitCode != 0, $"{what} under /.git succeeded");
                Assert.Contains("Read-only file system", result.Stderr);
            }

            Assert.Equal(before, Contents(source));
            Assert.Equal(0, Shell.Try("dotnet", [Cli, "umount", mountPoint]).ExitCode);
        }
        finally
        {
            if (Unmounter.IsMounted(mountPoint, out _))
            {
                Shell.Try("umount", ["-l", mountPoint]);
            }
        }
    }

    [HostFact("fusermount3")]
    public void Without_with_git_there_is_no_dot_git()
    {
        using var dir = new TempDirectory("gitfs-spec");
        var repo = History(dir.Sub("repo"));
        var mountPoint = dir.Sub("mnt");
        try
        {
            var mounted = Shell.Try("dotnet", [Cli, "mount", "--repo", repo.Dir, "--rev", "HEAD", mountPoint]);
            Assert.True(mounted.ExitCode == 0, mounted.Stderr);
            Assert.True(File.Exists(Path.Combine(mountPoint, "README")), "the commit is served");
            Assert.False(Path.Exists(Path.Combine(mountPoint, ".git")));
            Assert.DoesNotContain(".git", Directory.EnumerateFileSystemEntries(mountPoint).Select(Path.GetFileName));
            Assert.NotEqual(0, Shell.Try("git", ["--git-dir=" + Path.Combine(mountPoint, ".git"), "rev-parse", "HEAD"]).ExitCode);
        }
        finally
        {
            if (Unmounter.IsMounted(mountPoint, out _))
            {
                Shell.Try("umount", ["-l", mountPoint]);
            }
        }
    }

    [HostFact("fusermount3")]
    public void A_tree_entry_named_dot_git_stays_hidden_with_or_without_the_repository()
    {
        using var dir = new TempDirectory("gitfs-spec");
        var repo = GitRepo.Init(dir.Sub("repo"));
        repo.Write("README", "hello\n");
        repo.Commit("first");

        // A commit fetch refuses (TreeRules): its tree holds a ".git" directory with a forged HEAD.
        var forgedHead = Shell.Run("bash", ["-c", $"printf 'ref: refs/heads/forged\\n' | git -C '{repo.Dir}' hash-object -w --stdin"], null).Trim();
        var innerTree = LiteralTree(repo, dir.Path, ("100644", "HEAD", forgedHead));
        var readme = repo.Git("rev-parse", "HEAD:README").Trim();
        var tree = LiteralTree(repo, dir.Path, ("40000", ".git", innerTree), ("100644", "README", readme));
        var commit = Shell.Run("git", ["commit-tree", tree, "-m", "has .git"], repo.Dir, GitRepo.Env).Trim();

        using (var plain = new MountedCommit(repo.Dir, commit))
        {
            Assert.Equal(new[] { ".git-fs-commit-id", ".git-fs-tree-id", "README" }, Names(plain.Root));
        }

        using var withGit = new MountedCommit(repo.Dir, commit, new GitFsViewOptions { WithGit = true });
        Assert.Equal(new[] { ".git", ".git-fs-commit-id", ".git-fs-tree-id", "README" }, Names(withGit.Root));
        Assert.Equal(File.ReadAllText(Path.Combine(repo.Dir, ".git", "HEAD")), File.ReadAllText(withGit.PathOf(".git/HEAD")));
        Assert.Equal("ref: refs/heads/main\n", File.ReadAllText(withGit.PathOf(".git/HEAD")));
    }

    /// <summary>Packed and loose objects, an annotated tag, a symlink in the repository directory.</summary>
    private static GitRepo History(string path)
    {
        var repo = GitRepo.Init(path);
        for (var i = 1; i <= 5; i++)
        {
            repo.Write("README", $"revision {i}\n");
            repo.Write($"dir/file{i}", new string('x', 1000 * i) + "\n", executable: i % 2 == 0);
            repo.Commit($"revision {i}");
            if (i == 3)
            {
                repo.Git("tag", "-a", "-m", "three", "v3");
                repo.Git("gc", "-q");
            }
        }

        File.CreateSymbolicLink(Path.Combine(repo.Dir, ".git", "info", "head-link"), "../HEAD");
        return repo;
    }

    private static string[] Names(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal)];

    /// <summary>Kind, mode and link target of every path, and the size of every file and symlink (a directory's size is the filesystem's own).</summary>
    private static string Listing(string root) =>
        Shell.Run("bash", ["-c", "cd \"$1\" && find . -mindepth 1 \\( -type d -printf '%P d %m\\n' \\) -o -printf '%P %y %m %l %s\\n' | LC_ALL=C sort", "-", root], null);

    private static string Contents(string root) =>
        Shell.Run("bash", ["-c", "cd \"$1\" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum", "-", root], null);

    private static string LiteralTree(GitRepo repo, string scratch, params (string Mode, string Name, string Id)[] entries)
    {
        var tree = new MemoryStream();
        foreach (var (mode, name, id) in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            tree.Write(Encoding.ASCII.GetBytes($"{mode} {name}\0"));
            tree.Write(Convert.FromHexString(id));
        }

        var file = Path.Combine(scratch, $"tree-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(file, tree.ToArray());
        return repo.Git("hash-object", "-t", "tree", "-w", "--literally", file).Trim();
    }
}
