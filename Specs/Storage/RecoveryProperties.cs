using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Webc.BootSafe.Bootloader;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.Specs.StateMachine;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Updates.Boot;
using Webc.BootSafe.Updates.Session;
using Webc.BootSafe.Updates.Staging;

namespace Webc.BootSafe.Specs.Storage;

/// <summary>Which file one damage hits.</summary>
public enum DamagedFile
{
    State,
    PreviousState,
    HistoryLastLine,
}

/// <summary>Which label the next boot comes up through.</summary>
public enum NextBoot
{
    KnownGoodViaGood,
    TrialViaTrial,
    PreviousViaPrevious,
}

/// <summary>A life, one damage (cut or one byte XORed) of one file, and the next boot.</summary>
public sealed record RecoveryCase(Damaged Damage, DamagedFile File, NextBoot Boot);

public static class RecoveryArbitraries
{
    public static Arbitrary<RecoveryCase> RecoveryCase() =>
        (from damage in SlotArbitraries.Damaged().Generator
         from file in Gen.Elements(DamagedFile.State, DamagedFile.PreviousState, DamagedFile.HistoryLastLine)
         from boot in Gen.Elements(NextBoot.KnownGoodViaGood, NextBoot.TrialViaTrial, NextBoot.PreviousViaPrevious)
         select new RecoveryCase(damage, file, boot)).ToArbitrary();
}

/// <summary>
/// Issue 14 item 2, "recovery never goes backwards", over 10,000 random lives driven through the
/// production use cases (StageRevision, MediumSession, the bootloader applier on an in-memory medium
/// with an ADV): one damage of state.yaml, state.yaml.prev or history.log's last line, then the
/// next boot's `select` (SelectBoot). Compared with the same select on the undamaged medium, the
/// damaged one never records a revision as failed that the undamaged one does not, never records the
/// known-good (the newest promoted revision) as failed, and leaves known-good and extlinux.conf's
/// DEFAULT on the same revision. FsCheck prints the seed and the shrunk case on failure.
/// </summary>
[Properties(Arbitrary = [typeof(RecoveryArbitraries)], MaxTest = 10_000)]
public sealed class RecoveryProperties
{
    private static readonly MediumLayout Layout = new("/medium");

    [Property]
    public void One_damaged_file_never_fails_a_promoted_revision_nor_moves_default_back(RecoveryCase c)
    {
        var (storage, bootloader, record, clock) = Live(c.Damage.Scenario);
        var (revision, slot) = c.Boot switch
        {
            NextBoot.TrialViaTrial when record.Trial is { } t => (t, "trial"),
            NextBoot.PreviousViaPrevious when record.Previous is { } p => (p, "previous"),
            _ => (record.KnownGood, "good"),
        };
        var arguments = BootArguments.Parse($"BOOT_IMAGE=/live/vmlinuz-{revision.Sha} boot=webc-bootsafe git-revision={revision.Sha} bootsafe.slot={slot} quiet");

        var control = storage.Clone();
        var controlBootloader = Bootloader(control);
        new SelectBoot(() => Session(control, controlBootloader)).Select(arguments, clock);
        var controlRecord = new YamlSlotStore(control, Layout).Load().Record;

        Damage(storage, c);
        var selection = new SelectBoot(() => Session(storage, bootloader)).Select(arguments, clock);
        var after = new YamlSlotStore(storage, Layout).Load().Record;

        var newlyFailed = after.Failed.Select(f => f.Revision).Except(record.Failed.Select(f => f.Revision)).ToList();
        var controlFailed = controlRecord.Failed.Select(f => f.Revision).ToHashSet();
        Assert.True(newlyFailed.All(controlFailed.Contains), $"damage made select record {string.Join(", ", newlyFailed)} as failed; {selection.Reason}");
        Assert.False(after.HasFailed(record.KnownGood) && !record.HasFailed(record.KnownGood), $"promoted {record.KnownGood} recorded as failed; {selection.Reason}");
        Assert.Equal(record.KnownGood, after.KnownGood);
        Assert.Equal(controlRecord.KnownGood, after.KnownGood);
        Assert.Equal(DefaultOf(control), DefaultOf(storage));
        Assert.Equal(record.KnownGood.Sha, DefaultOf(storage));
    }

    private static string? DefaultOf(IMediumStorage storage)
    {
        var config = new Webc.BootSafe.Bootloader.Extlinux.ExtlinuxConfigFile(Layout, storage).Read();
        return config.Default is { } name ? config.Find(name)?.RevisionText : null;
    }

    private static void Damage(MemoryMediumStorage storage, RecoveryCase c)
    {
        switch (c.File)
        {
            case DamagedFile.State:
                storage.Put(Layout.StateFile, c.Damage.Apply(storage.ReadAllBytes(Layout.StateFile)));
                break;
            case DamagedFile.PreviousState:
                storage.Put(Layout.PreviousStateFile, c.Damage.Apply(storage.ReadAllBytes(Layout.PreviousStateFile)));
                break;
            default:
                var bytes = storage.ReadAllBytes(Layout.HistoryFile);
                var start = Array.LastIndexOf(bytes, (byte)'\n', bytes.Length - 2) + 1;
                storage.Put(Layout.HistoryFile, [.. bytes[..start], .. c.Damage.Apply(bytes[start..])]);
                break;
        }
    }

    private static MediumSession Session(IMediumStorage storage, MediumBootloader bootloader) =>
        MediumSession.Over(new YamlSlotStore(storage, Layout), bootloader.Applier);

    private static MediumBootloader Bootloader(IMediumStorage storage) => new(Layout, storage, null, FixedFileSystemProbe.Ext4);

    /// <summary>A medium initialized at revision 0, then every step of the life through the use cases.</summary>
    private static (MemoryMediumStorage, MediumBootloader, SlotRecord, DateTimeOffset) Live(Scenario scenario)
    {
        var storage = new MemoryMediumStorage();
        storage.CreateDirectory(Layout.ExtlinuxDirectory);
        storage.CreateDirectory(Layout.BootSafe);
        storage.ReplaceAtomically(Path.Combine(Layout.ExtlinuxDirectory, ExtlinuxAdvFile.BootImageName), FakeBootImage.Create());
        var initial = SlotRecord.Initial(Scenario.Revisions[0], scenario.MaxTrialBoots);
        new YamlSlotStore(storage, Layout).Initialize(initial, Scenario.Start);
        var bootloader = Bootloader(storage);
        bootloader.Kernels.Install(initial.KnownGood, Kernel(initial.KnownGood), Kernel(initial.KnownGood));
        bootloader.Applier.Reconcile(initial);

        var record = initial;
        var now = Scenario.Start;
        foreach (var step in scenario.Steps)
        {
            now = now.AddMinutes(1);
            var session = Session(storage, bootloader);
            var e = scenario.Resolve(step, session.Record);
            try
            {
                var outcome = e is Stage s
                    ? new StageRevision(session).Stage(s.Revision, new KernelImages(Kernel(s.Revision), Kernel(s.Revision)), s.Force, now)
                    : session.Fire(e, now);
                record = outcome.Transition.After;
            }
            catch (TransitionRefusedException)
            {
            }
        }

        return (storage, bootloader, record, now.AddMinutes(1));
    }

    private static byte[] Kernel(Revision r) => Encoding.ASCII.GetBytes("k" + r.Short);
}
