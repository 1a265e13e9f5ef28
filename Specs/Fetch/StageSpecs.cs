using Webc.BootSafe.Updates.Session;
using Webc.BootSafe.Updates.Staging;
using Webc.BootSafe.Bootloader.Applying;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Bootloader.Kernels;
using Webc.BootSafe.Fetch.Update;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// `fetch --stage` end to end against `git daemon`: the real state store and extlinux.conf; boot-once
/// in memory (the ADV needs an extlinux-installed image; the Bootloader's specs cover that).
/// </summary>
public sealed class StageSpecs(FetchWorld world) : IClassFixture<FetchWorld>, IDisposable
{
    private readonly TempDirectory _dir = new("bootsafe-stage");
    private readonly MemoryBootOnce _bootOnce = new();
    private readonly PosixMediumStorage _storage = new();

    public void Dispose() => _dir.Dispose();

    private Support.TestMedium Initialized(Upstream up, string remote)
    {
        var medium = new Support.TestMedium(_dir.Combine("medium"), up, world.Config(remote));
        var good = medium.Record.KnownGood;
        // As `init` does: under the lock (so the lock file exists, as on every initialized medium).
        using (MediumLock.Acquire(medium.Layout.LockFile, TimeSpan.FromSeconds(5)))
        {
            new YamlSlotStore(_storage, medium.Layout).Initialize(medium.Record, DateTimeOffset.UnixEpoch);
        }

        new KernelFiles(medium.Layout, _storage).Install(good, "kernel v1"u8, "initrd v1"u8);
        new ExtlinuxConfigFile(medium.Layout, _storage).Write(new BootEntries(good), new BootEntryOptions());
        return medium;
    }

    private UpdateResult Run(Support.TestMedium medium, bool stage, string? cmdline = null) =>
        new FetchAndStage(
                medium.Layout,
                _storage,
                () => Session(medium))
            { Backoff = TimeSpan.FromMilliseconds(20) }
            .Run(medium.Parameters(cmdline), stage, null);

    private MediumSession Session(Support.TestMedium medium)
    {
        var held = MediumLock.Acquire(medium.Layout.LockFile, TimeSpan.FromSeconds(5));
        return MediumSession.Over(new YamlSlotStore(_storage, medium.Layout), new BootloaderApplier(medium.Layout, _storage, _bootOnce, new BootEntryOptions()), held, new RepositoryRefs(medium.Layout.Repository, _storage));
    }

    [Fact]
    public void Fetch_stage_over_git_daemon_stages_a_signed_newer_commit()
    {
        var up = new Upstream(_dir.Combine("upstream"));
        up.Commit("v1", world.Trusted, Signing.Ssh);
        using var daemon = new GitDaemon(_dir.Path);
        var medium = Initialized(up, daemon.Url("upstream"));
        var next = Revision.Parse(up.Commit("v2", world.Trusted, Signing.Ssh));

        var result = Run(medium, stage: true);

        var record = new YamlSlotStore(_storage, medium.Layout).Load().Record;
        Assert.Equal(SlotState.Staged, record.State);
        Assert.Equal(next, record.Trial);
        Assert.Equal("kernel v2", File.ReadAllText(medium.Layout.KernelFile(next)));
        Assert.Equal("initrd v2", File.ReadAllText(medium.Layout.InitrdFile(next)));
        Assert.Contains($"git-revision={next}", File.ReadAllText(medium.Layout.ExtlinuxConfig), StringComparison.Ordinal);
        Assert.StartsWith("trial", _bootOnce.Value, StringComparison.Ordinal);
        Assert.Equal(next.Sha, medium.Ref("refs/bootsafe/trial"));
        Assert.Contains("staged as trial", result.Summary, StringComparison.Ordinal);
    }

    /// <summary>
    /// S6 (issue 17): a power cut soon after a promotion emptied refs/bootsafe/previous (libgit2 wrote
    /// it without fsync) and every later fetch failed on "corrupted loose reference file". The kept
    /// refs are the record's, so the fetch rewrites them and stages; a damaged ref of anyone else
    /// (a branch the install cloned) is not the fetch's to need.
    /// </summary>
    [Theory]
    [InlineData("refs/bootsafe/known-good", "")]
    [InlineData("refs/bootsafe/known-good", "0000000")]
    [InlineData("refs/bootsafe/known-good", "not a ref\n")]
    [InlineData("refs/heads/master", "")]
    public void A_ref_a_power_cut_damaged_does_not_stop_the_next_fetch_and_a_kept_one_is_rewritten(string name, string left)
    {
        var up = new Upstream(_dir.Combine("upstream"));
        up.Commit("v1", world.Trusted, Signing.Ssh);
        using var daemon = new GitDaemon(_dir.Path);
        var medium = Initialized(up, daemon.Url("upstream"));
        var good = medium.Record.KnownGood;
        File.WriteAllText(Path.Combine(medium.Layout.Repository, name), left);
        var next = Revision.Parse(up.Commit("v2", world.Trusted, Signing.Ssh));

        Run(medium, stage: true);

        var record = new YamlSlotStore(_storage, medium.Layout).Load().Record;
        Assert.Equal(SlotState.Staged, record.State);
        Assert.Equal(next, record.Trial);
        Assert.Equal(good.Sha, medium.Ref("refs/bootsafe/known-good"));
        Assert.Equal(next.Sha, medium.Ref("refs/bootsafe/trial"));
        if (name.StartsWith("refs/bootsafe/", StringComparison.Ordinal))
        {
            Assert.Equal("", Proc.Run("git", ["fsck", "--no-dangling", "--no-progress"], medium.Layout.Repository));
        }
    }

    [Fact]
    public void Fetch_stage_over_git_daemon_refuses_a_force_pushed_older_commit_and_changes_nothing_but_the_history()
    {
        var up = new Upstream(_dir.Combine("upstream"));
        var first = up.Commit("v1", world.Trusted, Signing.Ssh);
        up.Commit("v2", world.Trusted, Signing.Ssh);
        using var daemon = new GitDaemon(_dir.Path);
        var medium = Initialized(up, daemon.Url("upstream"));
        up.Git("reset", "-q", "--hard", first);
        var before = medium.Snapshot();

        var e = Assert.Throws<VerificationFailedException>(() => Run(medium, stage: true));

        Assert.Contains("downgrade refused", e.Message, StringComparison.Ordinal);
        var history = Path.Combine("live", "bootsafe", "history.log");
        var after = medium.Snapshot();
        Assert.NotEqual(before[history], after[history]);
        before.Remove(history);
        after.Remove(history);
        SnapshotAssert.Unchanged(before, after);
        Assert.Null(_bootOnce.Value);

        // The refusal's reason is in the history (under the medium lock); the record did not change.
        var store = new YamlSlotStore(new PosixMediumStorage(), medium.Layout);
        var last = store.History.ReadLines(out _)[^1].Entry!;
        Assert.Equal(HistoryLog.RefusedTrigger, last.Trigger);
        Assert.Equal("Fetch", last.Event);
        Assert.Contains("downgrade refused", last.Reason, StringComparison.Ordinal);
        Assert.True(store.History.Verify(store.Load().Record).Ok);
    }

    [Fact]
    public void Noupgrade_exits_with_a_message_and_touches_nothing()
    {
        var up = new Upstream(_dir.Combine("upstream"));
        up.Commit("v1", world.Trusted, Signing.Ssh);
        var medium = Initialized(up, up.Path);
        up.Commit("v2", world.Trusted, Signing.Ssh);
        var before = medium.Snapshot();

        var result = Run(medium, stage: true, "boot=live noupgrade quiet");

        Assert.Contains("noupgrade", result.Summary, StringComparison.Ordinal);
        Assert.Null(result.Fetch);
        SnapshotAssert.Unchanged(before, medium.Snapshot());
    }
}
