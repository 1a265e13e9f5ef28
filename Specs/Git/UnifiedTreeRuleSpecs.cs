using System.Text;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Git;
using Webc.BootSafe.Mount.View;
using Webc.BootSafe.Provision;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Git;

/// <summary>
/// One rule set for every way in (issue 13, issue 15): a commit fetch's verification refuses is
/// refused by `stage REV --repo R` through the CLI (exit 1, the medium byte-identical) and by
/// install's revision check; git-fs serves none of the entry names fetch refuses.
/// </summary>
public sealed class UnifiedTreeRuleSpecs : IDisposable
{
    private readonly TempDirectory _dir = new("unified");

    public void Dispose() => _dir.Dispose();

    private static string Binary => Path.Combine(RepoPaths.Root, "Cli", "bin", "Release", "net10.0", "webc-bootsafe");

    private string Repo => _dir.Combine("repo");

    private string Git(params string[] args) => Run.Command("git", ["-C", Repo, "-c", "user.name=Spec", "-c", "user.email=spec@example.org", .. args]).Trim();

    private string Blob(string content)
    {
        var file = _dir.Combine(Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, content);
        return Git("hash-object", "-w", file);
    }

    /// <summary>A raw tree (entries written as given: order, duplicates and names untouched).</summary>
    private string Tree(params (string Mode, string Name, string Id)[] entries)
    {
        var bytes = new MemoryStream();
        foreach (var (mode, name, id) in entries)
        {
            bytes.Write(Encoding.UTF8.GetBytes($"{mode} {name}\0"));
            bytes.Write(Convert.FromHexString(id));
        }

        var file = _dir.Combine(Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(file, bytes.ToArray());
        return Git("hash-object", "-t", "tree", "--literally", "-w", file);
    }

    private string Boot(string version) =>
        Tree(("100644", $"initrd.img-{version}", Blob($"initrd {version}")), ("100644", $"vmlinuz-{version}", Blob($"kernel {version}")));

    private string Commit(string tree, string? parent = null) =>
        parent is null ? Git("commit-tree", tree, "-m", "c") : Git("commit-tree", tree, "-p", parent, "-m", "c");

    /// <summary>A repository whose known-good is a clean commit, and a medium initialized on it.</summary>
    private (string Good, string Medium) World()
    {
        Run.Command("git", "init", "-q", Repo);
        var good = Commit(Tree(("40000", "boot", Boot("6.1.0-1-amd64")), ("100644", "hello", Blob("hi"))));
        Git("update-ref", "refs/heads/main", good);
        var medium = _dir.Combine("medium");
        Directory.CreateDirectory(medium);
        Run.Command(Binary, "init", "--medium", medium, "--revision", good);
        return (good, medium);
    }

    public static TheoryData<string> Refused => new()
    {
        ".GIT", "dot-git-ntfs", "dot-git-hfs", "duplicate-boot", "unsorted", "zero-padded-mode", "two-kernels", "dot-dot",
    };

    private string Bad(string kind, string good)
    {
        var hello = Blob("hi");
        var boot = Boot("6.1.0-1-amd64");
        var tree = kind switch
        {
            ".GIT" => Tree(("100644", ".GIT", hello), ("40000", "boot", boot)),
            "dot-git-ntfs" => Tree(("40000", "boot", boot), ("100644", "git~1", hello)),
            "dot-git-hfs" => Tree(("100644", ".gi\u200Ct", hello), ("40000", "boot", boot)),
            // Issue 15: the staged kernel would come from the second entry, the mounted root from the first.
            "duplicate-boot" => Tree(("40000", "boot", boot), ("40000", "boot", Boot("6.2.0-1-amd64"))),
            "unsorted" => Tree(("100644", "hello", hello), ("40000", "boot", boot)),
            "zero-padded-mode" => Tree(("40000", "boot", boot), ("0100644", "hello", hello)),
            // stage used to take the ordinal-last kernel; fetch demands exactly one.
            "two-kernels" => Tree(("40000", "boot", Tree(
                ("100644", "initrd.img-6.1.0-1-amd64", hello), ("100644", "vmlinuz-6.1.0-1-amd64", hello), ("100644", "vmlinuz-6.2.0-1-amd64", hello)))),
            "dot-dot" => Tree(("100644", "..", hello), ("40000", "boot", boot)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return Commit(tree, good);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_commit_fetch_refuses_is_refused_by_stage_and_install_too(string kind)
    {
        var (good, medium) = World();
        var bad = Bad(kind, good);

        // fetch's verification (run on the quarantine or the medium's repository)
        var fetch = Assert.Throws<VerificationFailedException>(() => TreeSanity.Check(Repo, bad, null));

        // stage through the CLI: refused before the medium is touched
        var before = Snapshot(medium);
        var stage = Run.Try(Binary, "stage", bad, "--repo", Repo, "--medium", medium);
        Assert.True(stage.ExitCode is 1 or 2, $"stage exited {stage.ExitCode}: {stage.Output}{stage.Error}");
        Assert.DoesNotContain("   at ", stage.Error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(medium));

        // install's revision check (on its clone)
        using var source = SourceRepository.Clone(Repo);
        var install = Assert.Throws<VerificationFailedException>(() =>
            source.Verify(source.Resolve(bad), new VerificationPolicy(TrustedKeys.None, AllowUnsigned: true, AllowDowngrade: false, KernelFlavour: null)));

        // the same rule speaks in all three
        Assert.Equal(FirstClause(fetch.Message), FirstClause(install.Message));
        Assert.Contains(FirstClause(fetch.Message), stage.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clean_commit_passes_fetch_install_and_stage_with_the_same_kernel_pair()
    {
        var (good, medium) = World();
        var next = Commit(Tree(("40000", "boot", Boot("6.2.0-1-amd64")), ("100644", "hello", Blob("hi"))), good);

        var pair = TreeSanity.Check(Repo, next, "amd64");
        Assert.Equal("boot/vmlinuz-6.2.0-1-amd64", pair.KernelPath);
        using var source = SourceRepository.Clone(Repo);
        var verified = source.Verify(source.Resolve(next), new VerificationPolicy(TrustedKeys.None, true, false, "amd64"));
        Assert.Equal(pair, verified.Kernel);
        Assert.Equal("kernel 6.2.0-1-amd64".Length, verified.KernelBytes);

        var stage = Run.Try(Binary, "stage", next, "--repo", Repo, "--medium", medium);
        // Past the tree rules: what stops a plain directory now is boot-once (no ldlinux.sys), never the tree.
        Assert.DoesNotContain("tree entr", stage.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("expected exactly one", stage.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Git_fs_serves_no_entry_name_fetch_refuses_and_hides_every_copy_of_a_duplicate()
    {
        Run.Command("git", "init", "-q", Repo);
        var hello = Blob("hi");
        string[] refused = [".GIT", ".Git", "git~1", ".git.", ".git ", ".gi\u200Ct", "\uFEFF.git", "a\\.git", ".git:x", "..", "."];
        foreach (var name in refused)
        {
            var commit = Commit(Tree(("40000", "boot", Boot("6.1.0-1-amd64")), ("100644", name, hello)));
            Assert.Throws<VerificationFailedException>(() => TreeSanity.Check(Repo, commit, null));
            using var view = GitFsView.Open(Repo, commit);
            var served = view.Children(view.Root).ToArray().Select(n => n.Name).ToList();
            Assert.DoesNotContain(Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(name)), served);
            Assert.Contains("boot", served);
        }

        var twice = Commit(Tree(("40000", "boot", Boot("6.1.0-1-amd64")), ("40000", "boot", Boot("6.2.0-1-amd64")), ("100644", "hello", hello)));
        using var dup = GitFsView.Open(Repo, twice);
        var names = dup.Children(dup.Root).ToArray().Select(n => n.Name).ToList();
        Assert.DoesNotContain("boot", names);
        Assert.Contains("hello", names);
    }

    [Fact]
    public void A_candidate_whose_metadata_mount_refuses_is_refused_by_fetch_with_the_mount_message()
    {
        Run.Command("git", "init", "-q", Repo);
        var metadata = Tree(("100644", "metadata.yaml", Blob("version: 1\nrules:\n  - path: etc\n    owner: nobody\n")));
        var commit = Commit(Tree((("40000", ".bootsafe", metadata)), ("40000", "boot", Boot("6.1.0-1-amd64"))));

        var mount = Assert.Throws<Webc.BootSafe.Medium.Errors.BadInputException>(() => GitFsView.Open(Repo, commit).Dispose());
        var fetch = Assert.Throws<VerificationFailedException>(() => TreeSanity.Check(Repo, commit, null));
        Assert.Contains(mount.Message, fetch.Message, StringComparison.Ordinal);
    }

    private static string FirstClause(string message) => message[(message.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(';')[0].Trim();

    private static Dictionary<string, string> Snapshot(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));
}
