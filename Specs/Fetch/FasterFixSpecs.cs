using Webc.BootSafe.Bootloader.Applying;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Bootloader.Kernels;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Updates.Confirm;
using Webc.BootSafe.Updates.Session;
using Webc.BootSafe.Updates.Staging;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// Issue 18 item 4 against a real git peer: the fix for the fix replaces a staged trial that has not
/// booted, and `update --now` fetches, stages and runs the reboot command in one go (noupgrade honoured).
/// </summary>
public sealed class FasterFixSpecs(FetchWorld world) : IClassFixture<FetchWorld>, IDisposable
{
    private readonly TempDirectory _dir = new("bootsafe-fasterfix");
    private readonly MemoryBootOnce _bootOnce = new();
    private readonly PosixMediumStorage _storage = new();

    public void Dispose() => _dir.Dispose();

    private Support.TestMedium Initialized(Upstream up)
    {
        var medium = new Support.TestMedium(_dir.Combine("medium"), up, world.Config(up.Path));
        var good = medium.Record.KnownGood;
        using (MediumLock.Acquire(medium.Layout.LockFile, TimeSpan.FromSeconds(5)))
        {
            new YamlSlotStore(_storage, medium.Layout).Initialize(medium.Record, DateTimeOffset.UnixEpoch);
        }

        new KernelFiles(medium.Layout, _storage).Install(good, "kernel v1"u8, "initrd v1"u8);
        new ExtlinuxConfigFile(medium.Layout, _storage).Write(new BootEntries(good), new BootEntryOptions());
        return medium;
    }

    private FetchAndStage Fetcher(Support.TestMedium medium) =>
        new(medium.Layout, _storage, () => MediumSession.Over(
            new YamlSlotStore(_storage, medium.Layout),
            new BootloaderApplier(medium.Layout, _storage, _bootOnce, new BootEntryOptions()),
            MediumLock.Acquire(medium.Layout.LockFile, TimeSpan.FromSeconds(5)),
            new RepositoryRefs(medium.Layout.Repository, _storage)))
        { Backoff = TimeSpan.FromMilliseconds(20) };

    private SlotRecord Record(Support.TestMedium medium) => new YamlSlotStore(_storage, medium.Layout).Load().Record;

    [Fact]
    public void A_newer_signed_commit_replaces_a_staged_trial_that_has_not_booted_and_prunes_its_files()
    {
        var up = new Upstream(_dir.Combine("upstream"));
        up.Commit("v1", world.Trusted, Signing.Ssh);
        var medium = Initialized(up);
        var second = Revision.Parse(up.Commit("v2", world.Trusted, Signing.Ssh));
        Fetcher(medium).Run(medium.Parameters(), stage: true, null);
        Assert.Equal(second, Record(medium).Trial);

        var third = Revision.Parse(up.Commit("v3", world.Trusted, Signing.Ssh));
        var result = Fetcher(medium).Run(medium.Parameters(), stage: true, null);

        var record = Record(medium);
        Assert.Equal((SlotState.Staged, third, 0), (record.State, record.Trial, record.TrialBoots));
        Assert.Empty(record.Failed); // superseded, not judged
        Assert.Contains($"replaced staged trial {second.Short}", result.Staged!.Transition.Reason, StringComparison.Ordinal);
        Assert.StartsWith("trial", _bootOnce.Value, StringComparison.Ordinal);
        var config = File.ReadAllText(medium.Layout.ExtlinuxConfig);
        Assert.Contains($"git-revision={third}", config, StringComparison.Ordinal);
        Assert.DoesNotContain(second.Sha, config, StringComparison.Ordinal);
        Assert.False(File.Exists(medium.Layout.KernelFile(second)), "the replaced trial's kernel is pruned");
        Assert.False(File.Exists(medium.Layout.InitrdFile(second)), "the replaced trial's initrd is pruned");
        Assert.Equal("kernel v3", File.ReadAllText(medium.Layout.KernelFile(third)));
        Assert.Equal(third.Sha, medium.Ref("refs/bootsafe/trial"));
        var history = File.ReadAllText(Path.Combine(medium.Layout.BootSafe, "history.log"));
        Assert.Contains("replaced staged trial", history, StringComparison.Ordinal);

        // The hourly fetch finding the same candidate again changes nothing and does not fail.
        var again = Fetcher(medium).Run(medium.Parameters(), stage: true, null);
        Assert.Contains("already staged", again.Staged!.Steps[0], StringComparison.Ordinal);
        Assert.Equal(record, Record(medium));
    }

    [Fact]
    public void Update_now_stages_and_runs_the_reboot_command_and_does_nothing_when_up_to_date_or_noupgrade()
    {
        var up = new Upstream(_dir.Combine("upstream"));
        up.Commit("v1", world.Trusted, Signing.Ssh);
        var medium = Initialized(up);
        var marker = _dir.Combine("rebooted");
        var reboot = new RebootCommand($"printf '%s' \"$BOOTSAFE_REASON\" > {marker}");

        var upToDate = new UpdateNow(Fetcher(medium), reboot).Run(medium.Parameters(), null);
        Assert.False(upToDate.RebootRequested);
        Assert.False(File.Exists(marker));

        var next = Revision.Parse(up.Commit("v2", world.Trusted, Signing.Ssh));
        var before = medium.Snapshot();
        var pinned = new UpdateNow(Fetcher(medium), reboot).Run(medium.Parameters("boot=live noupgrade"), null);
        Assert.False(pinned.RebootRequested);
        Assert.Contains("noupgrade", pinned.Update.Summary, StringComparison.Ordinal);
        SnapshotAssert.Unchanged(before, medium.Snapshot());
        Assert.False(File.Exists(marker));

        var updated = new UpdateNow(Fetcher(medium), reboot).Run(medium.Parameters(), null);
        Assert.True(updated.RebootRequested);
        Assert.Equal((next, 0), (updated.Trial, updated.RebootExitCode));
        Assert.Equal((SlotState.Staged, next), (Record(medium).State, Record(medium).Trial));
        Assert.StartsWith("trial", _bootOnce.Value, StringComparison.Ordinal);
        Assert.Contains(next.Short, File.ReadAllText(marker), StringComparison.Ordinal);
    }
}
