using Webc.BootSafe.Updates.Session;
using Webc.BootSafe.Bootloader.Simulation;
using Webc.BootSafe.Updates.Boot;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.BootPath;

/// <summary>
/// `select` when the ADV cannot be written from Linux either (its sectors went bad): the disarm fails
/// with EIO. The rollback must still happen, with extlinux.conf rewritten without a trial label, so
/// ldlinux's leftover once=trial names no label and falls back to DEFAULT. Before this, select gave
/// up on the state and mounted the command line's revision: the spent trial, on every power-on.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class UnwritableAdvSelectSpecs
{
    [HostFact("extlinux", "mkfs.ext4")]
    public void Trial_over_budget_with_an_unwritable_adv_rolls_back_and_the_next_boot_runs_known_good()
    {
        using var medium = new TestMedium().Initialize()
            .Fire(new Stage(TestMedium.Trial))
            .Fire(new BootObserved(TestMedium.Trial, "trial"));
        var selector = new SelectBoot(() => MediumSession.Open(medium.Layout, new AdvWritesFail(new PosixMediumStorage())));

        var selection = selector.Select(BootArguments.Parse(TestMedium.Boot(TestMedium.Trial, "trial")), DateTimeOffset.UtcNow);

        Assert.True(selection.RebootRequested, selection.ToString());
        Assert.Equal(TestMedium.KnownGood, selection.Revision);
        Assert.Contains(selection.Warnings, w => w.Contains("boot-once not disarmed", StringComparison.Ordinal));
        var record = medium.Record;
        Assert.Equal(SlotState.RolledBack, record.State);
        Assert.True(record.HasFailed(TestMedium.Trial));
        Assert.Equal("trial", medium.BootOnce);
        Assert.Null(medium.Bootloader.Config.Read().Find("trial"));

        var next = new Ldlinux(medium.Layout, new PosixMediumStorage()).Boot(new BootFaults(AdvWriteFails: true));
        Assert.Equal(("good", TestMedium.KnownGood), (next.Label, next.Revision));
        var after = selector.Select(BootArguments.Parse(TestMedium.Boot(TestMedium.KnownGood, "good")), DateTimeOffset.UtcNow);
        Assert.False(after.RebootRequested, after.ToString());
        Assert.Equal(TestMedium.KnownGood, after.Revision);
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void A_passed_trial_with_an_unwritable_adv_is_promoted_and_the_leftover_once_boots_it_as_good()
    {
        using var medium = new TestMedium().Initialize(maxTrialBoots: 2)
            .Fire(new Stage(TestMedium.Trial))
            .Fire(new BootObserved(TestMedium.Trial, "trial"));
        using var session = MediumSession.Open(medium.Layout, new AdvWritesFail(new PosixMediumStorage()));

        var decision = session.Fire(new HealthPassed(), DateTimeOffset.UtcNow);

        Assert.NotEmpty(decision.Warnings);
        Assert.Equal((SlotState.Stable, TestMedium.Trial), (medium.Record.State, medium.Record.KnownGood));
        Assert.Equal("trial", medium.BootOnce);
        var next = new Ldlinux(medium.Layout, new PosixMediumStorage()).Boot(new BootFaults(AdvWriteFails: true));
        Assert.Equal(("good", TestMedium.Trial), (next.Label, next.Revision));
    }

    /// <summary>The real medium, except that writes into ldlinux.sys (where the ADV lives) fail with EIO.</summary>
    private sealed class AdvWritesFail(IMediumStorage inner) : IMediumStorage
    {
        public bool FileExists(string path) => inner.FileExists(path);

        public bool DirectoryExists(string path) => inner.DirectoryExists(path);

        public byte[] ReadAllBytes(string path) => inner.ReadAllBytes(path);

        public long Length(string path) => inner.Length(path);

        public IReadOnlyList<string> ListFiles(string directory) => inner.ListFiles(directory);

        public void CreateDirectory(string path) => inner.CreateDirectory(path);

        public void WriteNew(string path, ReadOnlySpan<byte> content) => inner.WriteNew(path, content);

        public void Append(string path, ReadOnlySpan<byte> content) => inner.Append(path, content);

        public void WriteInPlace(string path, long offset, ReadOnlySpan<byte> content) =>
            throw (Path.GetFileName(path) == "ldlinux.sys"
                ? new IOException($"pwrite {path}: Input/output error (errno 5)")
                : new InvalidOperationException("only the ADV is written in place: " + path));

        public void Sync(string path) => inner.Sync(path);

        public void Rename(string from, string to) => inner.Rename(from, to);

        public void SyncDirectory(string directory) => inner.SyncDirectory(directory);

        public void Delete(string path) => inner.Delete(path);
    }
}
