using Webc.BootSafe.Fetch.Update;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>Fetch and verify against a publisher repository built with the git CLI, over file paths.</summary>
public sealed class FetchSpecs(FetchWorld world) : IClassFixture<FetchWorld>, IDisposable
{
    private readonly TempDirectory _dir = new("bootsafe-fetch");

    public void Dispose() => _dir.Dispose();

    private (Upstream Up, TestMedium Medium, string Base) World(string extraConfig = "")
    {
        var up = new Upstream(_dir.Combine("upstream"));
        var first = up.Commit("v1", world.Trusted, Signing.Ssh);
        var medium = new TestMedium(_dir.Combine("medium"), up, world.Config(up.Path, extraConfig));
        return (up, medium, first);
    }

    private static FetchOutcome Fetch(TestMedium medium, string? cmdline = null) =>
        new UpdateFetcher(medium.Layout, new PosixMediumStorage()) { Backoff = TimeSpan.FromMilliseconds(20) }
            .FetchAndVerify(medium.Parameters(cmdline), medium.Record, null);

    private static TException Refused<TException>(TestMedium medium, string expected, string? cmdline = null)
        where TException : Exception
    {
        var before = medium.Snapshot();
        var e = Assert.ThrowsAny<TException>(() => Fetch(medium, cmdline));
        Assert.Contains(expected, e.Message, StringComparison.OrdinalIgnoreCase);
        SnapshotAssert.Unchanged(before, medium.Snapshot());
        return e;
    }

    [Theory]
    [InlineData(Signing.Ssh)]
    [InlineData(Signing.Gpg)]
    public void A_signed_newer_commit_is_fetched_verified_and_kept_by_a_ref(Signing signing)
    {
        var (up, medium, _) = World();
        var next = up.Commit("v2", world.Trusted, signing, new Dictionary<string, string?> { ["etc/motd"] = "hello" });

        var outcome = Fetch(medium);

        var verified = Assert.IsType<Verified>(outcome.Verdict);
        Assert.Equal(Revision.Parse(next), verified.Revision);
        Assert.False(verified.IsDowngrade);
        Assert.Equal(Upstream.Kernel, verified.Kernel.KernelPath);
        Assert.Equal(Upstream.Initrd, verified.Kernel.InitrdPath);
        Assert.StartsWith(signing == Signing.Ssh ? "ssh:publisher@" : "openpgp:publisher", verified.Signer, StringComparison.Ordinal);
        Assert.True(medium.Has(next));
        Assert.Equal(next, medium.Ref("refs/bootsafe/fetched"));
        Assert.True(outcome.Transfer.ReceivedObjects > 0);
        Assert.False(Directory.Exists(Path.Combine(medium.Layout.BootSafe, "incoming.git")));
    }

    [Fact]
    public void The_known_good_tip_is_up_to_date_and_changes_nothing()
    {
        var (_, medium, _) = World();
        var before = medium.Snapshot();

        Assert.IsType<UpToDate>(Fetch(medium).Verdict);
        SnapshotAssert.Unchanged(before, medium.Snapshot());
    }

    [Fact]
    public void An_unsigned_commit_is_refused()
    {
        var (up, medium, _) = World();
        var next = up.Commit("v2", null, Signing.None);

        Refused<VerificationFailedException>(medium, "is not signed");
        Assert.True(medium.Lacks(next));
    }

    [Fact]
    public void An_unsigned_commit_is_accepted_on_an_allow_unsigned_channel()
    {
        var (up, medium, _) = World("allow-unsigned: true");
        var next = up.Commit("v2", null, Signing.None);

        Assert.Equal(Revision.Parse(next), Assert.IsType<Verified>(Fetch(medium).Verdict).Revision);
    }

    [Theory]
    [InlineData(Signing.Ssh)]
    [InlineData(Signing.Gpg)]
    public void A_commit_signed_by_an_unknown_key_is_refused(Signing signing)
    {
        var (up, medium, _) = World("allow-unsigned: true");
        up.Commit("v2", world.Stranger, signing);

        Refused<VerificationFailedException>(medium, "untrusted");
    }

    [Theory]
    [InlineData(Signing.Ssh)]
    [InlineData(Signing.Gpg)]
    public void A_tampered_payload_fails_its_signature(Signing signing)
    {
        var (up, medium, _) = World();
        var signed = up.Commit("v2", world.Trusted, signing);
        var raw = up.Git("cat-file", "commit", signed);
        var tampered = Proc.Run("git", ["hash-object", "-t", "commit", "-w", "--stdin"], up.Path,
            stdin: raw.Replace("\n\nv2", "\n\nv2 with a backdoor", StringComparison.Ordinal) + "\n");
        up.ForceBranch(tampered);

        Refused<VerificationFailedException>(medium, "does not match the commit");
    }

    [Fact]
    public void A_branch_force_pushed_to_an_older_signed_commit_is_a_refused_downgrade()
    {
        var (up, medium, first) = World();
        var second = up.Commit("v2", world.Trusted, Signing.Ssh);
        medium.Record = SlotRecord.Initial(Revision.Parse(second));
        Proc.Run("git", ["fetch", "-q", up.Path, "master:master"], medium.Layout.Repository);
        Proc.Run("git", ["update-ref", "refs/bootsafe/known-good", second], medium.Layout.Repository);
        up.Git("reset", "-q", "--hard", first);

        Refused<VerificationFailedException>(medium, "downgrade refused");
    }

    [Fact]
    public void A_pinned_older_sha_needs_allow_downgrade_and_still_a_signature()
    {
        var (up, medium, first) = World();
        var second = up.Commit("v2", world.Trusted, Signing.Ssh);
        medium.Record = SlotRecord.Initial(Revision.Parse(second));
        Proc.Run("git", ["fetch", "-q", up.Path, "master:master"], medium.Layout.Repository);
        Proc.Run("git", ["update-ref", "refs/bootsafe/known-good", second], medium.Layout.Repository);
        up.Commit("v3", world.Trusted, Signing.Ssh);

        Refused<VerificationFailedException>(medium, "allow-downgrade", $"update-revision={first}");

        File.AppendAllText(medium.Layout.ConfigFile, "\nallow-downgrade: true\n");
        var verified = Assert.IsType<Verified>(Fetch(medium, $"update-revision={first}").Verdict);
        Assert.Equal(Revision.Parse(first), verified.Revision);
        Assert.True(verified.IsDowngrade);
    }

    [Fact]
    public void A_pinned_newer_sha_is_chosen_over_the_branch_tip()
    {
        var (up, medium, _) = World();
        var second = up.Commit("v2", world.Trusted, Signing.Ssh);
        up.Commit("v3", world.Trusted, Signing.Ssh);

        Assert.Equal(Revision.Parse(second), Fetch(medium, $"quiet update-revision={second}").Verdict.Revision);
    }

    [Fact]
    public void A_pinned_unsigned_older_sha_is_refused_even_with_allow_downgrade()
    {
        var up = new Upstream(_dir.Combine("upstream"));
        var first = up.Commit("v1", null, Signing.None);
        var second = up.Commit("v2", world.Trusted, Signing.Ssh);
        var medium = new TestMedium(_dir.Combine("medium"), up, world.Config(up.Path, "allow-downgrade: true"));
        Assert.Equal(Revision.Parse(second), medium.Record.KnownGood);

        Refused<VerificationFailedException>(medium, "is not signed", $"update-revision={first}");
    }

    [Fact]
    public void A_tree_without_a_kernel_is_refused()
    {
        var (up, medium, _) = World();
        up.Commit("v2", world.Trusted, Signing.Ssh, new Dictionary<string, string?> { [Upstream.Kernel] = null, [Upstream.Initrd] = "i" });

        Refused<VerificationFailedException>(medium, "no kernel matching boot/vmlinuz-*-amd64");
    }

    [Fact]
    public void A_tree_with_two_kernels_is_refused()
    {
        var (up, medium, _) = World();
        up.Commit("v2", world.Trusted, Signing.Ssh, new Dictionary<string, string?> { ["boot/vmlinuz-6.2.0-1-amd64"] = "k2" });

        Refused<VerificationFailedException>(medium, "expected exactly one kernel");
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".git")]
    [InlineData(".GIT")]
    public void A_tree_entry_that_escapes_or_reaches_git_metadata_is_refused(string name)
    {
        var (up, medium, _) = World();
        var clean = up.Commit("v2", world.Trusted, Signing.Ssh);
        var blob = Proc.Run("git", ["hash-object", "-w", "--stdin"], up.Path, stdin: "payload");
        var root = up.Git("rev-parse", clean + "^{tree}");
        var listing = up.Git("ls-tree", root) + $"\n100644 blob {blob}\t{name}\n";
        var evilEtc = Proc.Run("git", ["mktree"], up.Path, stdin: $"100644 blob {blob}\t{name}\n");
        listing = listing.Replace(up.Git("rev-parse", clean + ":etc") + "\tetc", evilEtc + "\tetc", StringComparison.Ordinal);
        var tree = Proc.Run("git", ["mktree"], up.Path, stdin: listing);
        var commit = Proc.Run("git", [.. Upstream.SignArgs(world.Trusted, Signing.Ssh), "commit-tree", "-S", tree, "-p", clean, "-m", "v3"], up.Path);
        up.ForceBranch(commit);

        Refused<VerificationFailedException>(medium, $"tree entry '{name}'");
    }

    [Fact]
    public void A_transfer_beyond_max_fetch_bytes_is_aborted_and_nothing_moves()
    {
        var (up, medium, _) = World("max-fetch-bytes: 200000");
        var noise = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3_000_000));
        var bomb = up.Commit("v2", world.Trusted, Signing.Ssh, new Dictionary<string, string?> { ["usr/share/bomb"] = noise });

        Refused<OperationFailedException>(medium, "max-fetch-bytes");
        Assert.True(medium.Lacks(bomb));
    }

    [Fact]
    public void An_unreachable_remote_fails_after_the_bounded_retries_and_changes_nothing()
    {
        var (_, medium, _) = World();
        File.WriteAllText(medium.Layout.ConfigFile,
            world.Config($"git://127.0.0.1:{Proc.FreePort()}/nothing.git").Replace("fetch-retries: 0", "fetch-retries: 2", StringComparison.Ordinal));

        Refused<OperationFailedException>(medium, "after 3 attempt(s)");
    }

    [Fact]
    public void A_revision_that_failed_before_is_refused()
    {
        var (up, medium, _) = World();
        var next = up.Commit("v2", world.Trusted, Signing.Ssh);
        medium.Record = medium.Record with { Failed = [new FailedRevision(Revision.Parse(next), "health check failed", DateTimeOffset.UnixEpoch)] };

        Refused<VerificationFailedException>(medium, "failed before");
    }

    [Fact]
    public void A_second_update_brings_only_the_new_objects()
    {
        var (up, medium, _) = World();
        var files = Enumerable.Range(0, 200).ToDictionary(i => $"usr/lib/f{i}", i => (string?)$"file {i} {new string('x', 2000)}");
        var big = up.Commit("v2", world.Trusted, Signing.Ssh, files);
        var first = Fetch(medium);
        medium.Record = SlotRecord.Initial(Revision.Parse(big));
        Proc.Run("git", ["update-ref", "refs/bootsafe/known-good", big], medium.Layout.Repository);
        up.Commit("v3", world.Trusted, Signing.Ssh, new Dictionary<string, string?> { ["usr/lib/f7"] = "changed" });

        var second = Fetch(medium);

        Assert.IsType<Verified>(second.Verdict);
        Assert.True(first.Transfer.ReceivedObjects >= 200, $"first fetch got {first.Transfer.ReceivedObjects} objects");
        Assert.InRange(second.Transfer.ReceivedObjects, 1, 12);
    }
}
