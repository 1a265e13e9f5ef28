using System.Text;
using Webc.BootSafe.Bootloader;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Updates.Boot;
using Webc.BootSafe.Updates.Session;
using Webc.BootSafe.Updates.Staging;

namespace Webc.BootSafe.Specs.Storage;

/// <summary>
/// Issue 17 item 1: what the boot path writes (docs/crash-safety.md, "What a boot writes"). A boot
/// that asks nothing of the bootloader (known-good with nothing armed, a trial within its budget)
/// writes one append to history.log and one fsync; the next load replays it. A boot that changes the
/// bootloader is a full commit, and so is the boot after <see cref="YamlSlotStore.MaxJournalLines"/>
/// journal-only ones.
/// </summary>
public sealed class BootWriteCountSpecs
{
    private static readonly MediumLayout Layout = new("/medium");
    private static readonly Revision Good = Revision.Parse(new string('a', 40));
    private static readonly Revision Trial = Revision.Parse(new string('b', 40));
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_stable_boot_of_known_good_is_one_fsynced_append()
    {
        var storage = Initialized();

        var writes = Select(storage, Good, "good", Start.AddMinutes(1));

        Assert.Equal([$"append {Layout.HistoryFile}", $"fsync {Layout.HistoryFile}"], writes);
        var load = new YamlSlotStore(storage, Layout).Load();
        Assert.Null(load.Recovery);
        Assert.Equal((2L, 1, Good), (load.Record.Generation, load.Record.UnconfirmedKnownGoodBoots, load.Record.LastBoot?.Revision));
        Assert.Equal(1L, StateFileCodec.Decode(storage.ReadAllBytes(Layout.StateFile)).Generation);
    }

    [Fact]
    public void A_trial_boot_within_budget_is_one_fsynced_append_and_its_verdict_a_full_commit()
    {
        var storage = Initialized();
        new StageRevision(Session(storage)).Stage(Trial, new KernelImages(Kernel(Trial), Kernel(Trial)), false, Start.AddMinutes(1));

        var writes = Select(storage, Trial, "trial", Start.AddMinutes(2));

        Assert.Equal([$"append {Layout.HistoryFile}", $"fsync {Layout.HistoryFile}"], writes);
        Assert.Equal((SlotState.Trying, 1), (Load(storage).State, Load(storage).TrialBoots));
        Session(storage).Fire(new HealthPassed(), Start.AddMinutes(3));
        var promoted = StateFileCodec.Decode(storage.ReadAllBytes(Layout.StateFile));
        Assert.Equal((SlotState.Stable, Trial, 4L), (promoted.State, promoted.KnownGood, promoted.Generation));
        Assert.Equal(SlotState.Trying, StateFileCodec.Decode(storage.ReadAllBytes(Layout.PreviousStateFile)).State);
    }

    [Fact]
    public void The_journal_is_bounded_and_a_boot_that_asks_the_bootloader_is_a_full_commit()
    {
        var storage = Initialized();
        var at = Start;
        for (var i = 0; i < YamlSlotStore.MaxJournalLines; i++)
        {
            at = at.AddMinutes(1);
            Assert.Equal(2, Select(storage, Good, "good", at).Count);
            Session(storage).Fire(new KnownGoodCameUp(), at.AddSeconds(1)); // confirm's full commit
            Assert.Equal(Load(storage).Generation, StateFileCodec.Decode(storage.ReadAllBytes(Layout.StateFile)).Generation);
        }

        for (var i = 0; i < YamlSlotStore.MaxJournalLines; i++)
        {
            at = at.AddMinutes(1);
            Assert.Equal(2, Select(storage, Good, "good", at).Count);
        }

        var full = Select(storage, Good, "good", at.AddMinutes(1));
        Assert.Contains($"rename /medium/live/bootsafe/.state.yaml.tmp -> {Layout.StateFile}", full);
        Assert.Equal(Load(storage), StateFileCodec.Decode(storage.ReadAllBytes(Layout.StateFile)));
    }

    private static List<string> Select(RecordingMediumStorage storage, Revision booted, string slot, DateTimeOffset at)
    {
        var writes = new List<string>();
        storage.AfterWrite = w => writes.Add(w.Split(" (")[0]); // without the byte count
        var selection = new SelectBoot(() => Session(storage)).Select(
            BootArguments.Parse($"git-revision={booted.Sha} bootsafe.slot={slot}"), at);
        storage.AfterWrite = null;
        Assert.Equal(booted, selection.Revision);
        Assert.Empty(selection.Warnings);
        return writes;
    }

    private static RecordingMediumStorage Initialized()
    {
        var storage = new RecordingMediumStorage();
        storage.CreateDirectory(Layout.ExtlinuxDirectory);
        storage.CreateDirectory(Layout.BootSafe);
        storage.ReplaceAtomically(Path.Combine(Layout.ExtlinuxDirectory, ExtlinuxAdvFile.BootImageName), FakeBootImage.Create());
        var initial = SlotRecord.Initial(Good);
        new YamlSlotStore(storage, Layout).Initialize(initial, Start);
        var bootloader = new MediumBootloader(Layout, storage, null, FixedFileSystemProbe.Ext4);
        bootloader.Kernels.Install(Good, Kernel(Good), Kernel(Good));
        bootloader.Applier.Reconcile(initial);
        return storage;
    }

    private static SlotRecord Load(IMediumStorage storage) => new YamlSlotStore(storage, Layout).Load().Record;

    private static MediumSession Session(IMediumStorage storage) =>
        MediumSession.Over(new YamlSlotStore(storage, Layout), new MediumBootloader(Layout, storage, null, FixedFileSystemProbe.Ext4).Applier);

    private static byte[] Kernel(Revision r) => Encoding.ASCII.GetBytes("k" + r.Short);
}
