using System.Net.Sockets;
using LibGit2Sharp;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.Specs.Mount.Support;
using Webc.BootSafe.Specs.Packaging;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.Updates.Publish;

namespace Webc.BootSafe.Specs.Publish;

/// <summary>
/// Host tier (root): commit-root's commits pass fetch's own signature and tree checks (SSH and
/// OpenPGP), refusals list every problem and leave the repository untouched, and the real Debian
/// root keeps /etc/shadow 0640 root:shadow and a setuid sudo through git-fs.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CommitRootSpecs
{
    [HostFact("ssh-keygen", "gpg")]
    public void Its_commits_pass_fetchs_signature_and_tree_checks_with_ssh_and_openpgp()
    {
        using var dir = new TempDirectory("commit-root");
        var signers = new Signers(dir.Sub("keys"), "release");
        var repo = dir.Sub("release.git");
        Shell.Run("git", ["init", "-q", "--bare", repo], null);
        var source = SmallRoot(dir.Sub("root"));

        var first = CommitRoot.Run(new CommitRootRequest(source, repo, "main", signers.SshKey));
        var gnupgHome = Environment.GetEnvironmentVariable("GNUPGHOME");
        CommitRootResult second;
        try
        {
            Environment.SetEnvironmentVariable("GNUPGHOME", signers.GnuPgHome);
            second = CommitRoot.Run(new CommitRootRequest(source, repo, "main", signers.GpgFingerprint, "second"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("GNUPGHOME", gnupgHome);
        }

        Assert.Null(first.Parent);
        Assert.Equal(first.Commit, second.Parent);
        Assert.Equal(second.Commit, Shell.Run("git", ["-C", repo, "rev-parse", "refs/heads/main"], null).Trim());
        using var keyring = File.OpenRead(signers.Keyring);
        var keys = new TrustedKeys(AllowedSignersFile.Parse(File.ReadAllBytes(signers.AllowedSigners), "allowed_signers"), OpenPgpSignatureVerifier.ReadKeyring(keyring));
        using var repository = new Repository(repo);
        Assert.StartsWith("ssh:", CommitSignature.Check(repository, new LibGit2Sharp.ObjectId(first.Commit), keys, allowUnsigned: false));
        Assert.StartsWith("openpgp:", CommitSignature.Check(repository, new LibGit2Sharp.ObjectId(second.Commit), keys, allowUnsigned: false));
        Assert.Equal("boot/vmlinuz-6.1.0-spec", TreeSanity.Check(repo, second.Commit, null).KernelPath);

        // And with a key it does not trust, fetch refuses it.
        var stranger = new Signers(dir.Sub("stranger"), "stranger");
        var untrusted = new TrustedKeys(AllowedSignersFile.Parse(File.ReadAllBytes(stranger.AllowedSigners), "allowed_signers"), null);
        Assert.Throws<VerificationFailedException>(() => CommitSignature.Check(repository, new LibGit2Sharp.ObjectId(first.Commit), untrusted, allowUnsigned: false));
    }

    [HostFact("ssh-keygen")]
    public void What_it_cannot_represent_is_refused_as_one_list_and_nothing_is_written()
    {
        using var dir = new TempDirectory("commit-root");
        var signers = new Signers(dir.Sub("keys"), "release");
        var repo = dir.Sub("release.git");
        Shell.Run("git", ["init", "-q", "--bare", repo], null);
        var source = SmallRoot(dir.Sub("root"));
        CommitRoot.Run(new CommitRootRequest(source, repo, "main", signers.SshKey));

        // Kept open: .NET unlinks a bound socket's file when the socket is disposed.
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(source, "run-socket")));

        File.WriteAllText(Path.Combine(source, "etc/tagged"), "x");
        Libc.SetXattr(Path.Combine(source, "etc/tagged"), "user.colour", "red"u8);
        File.WriteAllText(Path.Combine(source, "boot/vmlinuz-6.2.0-other"), "second kernel");
        var before = RepositoryState(repo);

        var e = Assert.Throws<BadInputException>(() => CommitRoot.Run(new CommitRootRequest(source, repo, "main", signers.SshKey)));
        Assert.Contains("3 entries cannot be committed", e.Message);
        Assert.Contains("run-socket: a socket", e.Message);
        Assert.Contains("etc/tagged: extended attribute user.colour", e.Message);
        Assert.Contains("vmlinuz-6.1.0-spec, vmlinuz-6.2.0-other", e.Message);
        Assert.Equal(before, RepositoryState(repo));
    }

    [HostFact("fusermount3", "mmdebstrap")]
    public void The_debian_root_keeps_shadow_and_setuid_sudo_through_git_fs()
    {
        var tarball = MinimalDebianRoot.Tarball(["sudo"]);
        using var dir = new TempDirectory("commit-root-debian");
        var signers = new Signers(dir.Sub("keys"), "release");
        var repo = dir.Sub("release.git");
        Shell.Run("git", ["init", "-q", "--bare", repo], null);
        var unpacked = dir.Sub("unpacked");
        Shell.Run("tar", ["--extract", "--file", tarball, "--directory", unpacked, "--numeric-owner", "--same-owner", "--preserve-permissions", "--xattrs", "--xattrs-include=*"], null);

        // A Debian root holds more than one kernel pair only if asked to; the tarball has one.
        var result = CommitRoot.Run(new CommitRootRequest(tarball, repo, "main", signers.SshKey));
        using var mounted = new MountedCommit(repo, result.Commit);

        var shadowGroup = File.ReadAllLines(Path.Combine(mounted.Root, "etc/group")).Select(l => l.Split(':')).First(f => f[0] == "shadow")[2];
        var shadow = Libc.LStat(mounted.PathOf("etc/shadow"));
        Assert.Equal((0x81A0u, 0u, uint.Parse(shadowGroup)), (shadow.Mode, shadow.Uid, shadow.Gid));
        var sudo = Libc.LStat(mounted.PathOf("usr/bin/sudo"));
        Assert.Equal((0x8000u | 0x800u, 0u), (sudo.Mode & 0xF800, sudo.Uid));

        var paths = RootComparison.Walk(unpacked);
        Assert.True(paths.Count > 5000, $"{paths.Count} entries");
        Assert.Empty(RootComparison.Differences(unpacked, mounted.Root, paths));
    }

    /// <summary>A root that boots by fetch's rules, with one entry of each kind git cannot hold.</summary>
    public static string SmallRoot(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "boot"));
        File.WriteAllText(Path.Combine(root, "boot/vmlinuz-6.1.0-spec"), "kernel");
        File.WriteAllText(Path.Combine(root, "boot/initrd.img-6.1.0-spec"), "initrd");
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.WriteAllText(Path.Combine(root, "etc/shadow"), "root:*:1::::::\n");
        Libc.LChown(Path.Combine(root, "etc/shadow"), 0, 42);
        File.SetUnixFileMode(Path.Combine(root, "etc/shadow"), (UnixFileMode)0x1A0);
        Directory.CreateDirectory(Path.Combine(root, "tmp"));
        File.SetUnixFileMode(Path.Combine(root, "tmp"), (UnixFileMode)0x3FF);
        Directory.CreateDirectory(Path.Combine(root, "dev"));
        Libc.Mknod(Path.Combine(root, "dev/null"), 0x2000 | 0x1B6, 1, 3);
        return root;
    }

    /// <summary>Every ref and its target, and the object count: equal before and after means nothing was written.</summary>
    private static string RepositoryState(string repo) =>
        Shell.Run("git", ["-C", repo, "for-each-ref", "--format=%(refname) %(objectname)"], null)
        + Shell.Run("git", ["-C", repo, "count-objects", "-v"], null)
        + string.Join('\n', Directory.EnumerateFiles(Path.Combine(repo, "objects"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
}
