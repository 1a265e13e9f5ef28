using System.Text;
using Webc.BootSafe.Bootloader;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Bootloader.Extlinux;
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

/// <summary>
/// When nothing trustworthy is newer than state.yaml.prev (state.yaml and the promotion's history
/// line both damaged: two faults), select refuses to judge the promoted revision's boot.
/// </summary>
public sealed class RecoverySpecs
{
    private static readonly MediumLayout Layout = new("/medium");
    private static readonly Revision Old = Revision.Parse(new string('a', 40));
    private static readonly Revision New = Revision.Parse(new string('b', 40));
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("flip")]
    [InlineData("drop")]
    public void A_promotion_whose_state_and_history_line_are_both_damaged_is_not_judged_from_the_older_record(string historyDamage)
    {
        var storage = Promoted();
        var state = storage.ReadAllBytes(Layout.StateFile);
        state[state.Length / 2] ^= 0x20;
        storage.Put(Layout.StateFile, state);
        var history = storage.ReadAllBytes(Layout.HistoryFile);
        var start = Array.LastIndexOf(history, (byte)'\n', history.Length - 2) + 1;
        if (historyDamage == "flip")
        {
            history[start + 20] ^= 0x01; // still JSON, but its hash no longer matches
        }
        else
        {
            history = history[..start];
        }

        storage.Put(Layout.HistoryFile, history);
        var load = new YamlSlotStore(storage, Layout).Load();
        Assert.Equal(SlotState.Trying, load.Record.State); // .prev: the promotion cannot be trusted

        var selection = new SelectBoot(() => Session(storage)).Select(Arguments(New, "good"), Start.AddHours(1));

        Assert.Equal(New, selection.Revision);
        Assert.False(selection.RebootRequested);
        Assert.StartsWith("recorded only", selection.Reason, StringComparison.Ordinal);
        var after = new YamlSlotStore(storage, Layout).Load().Record;
        Assert.False(after.HasFailed(New));
        Assert.Equal(New.Sha, Default(storage));
    }

    [Fact]
    public void A_damaged_state_after_promotion_is_rebuilt_and_the_boot_judged_normally()
    {
        var storage = Promoted();
        storage.Put(Layout.StateFile, storage.ReadAllBytes(Layout.StateFile)[..40]);

        var selection = new SelectBoot(() => Session(storage)).Select(Arguments(New, "good"), Start.AddHours(1));

        Assert.Equal(New, selection.Revision);
        Assert.Contains(selection.Warnings, w => w.Contains("rebuilt generation", StringComparison.Ordinal));
        var after = new YamlSlotStore(storage, Layout).Load();
        Assert.Null(after.Recovery);
        Assert.Equal((SlotState.Stable, New, New), (after.Record.State, after.Record.KnownGood, after.Record.LastBoot?.Revision));
        Assert.Equal(New.Sha, Default(storage));
    }

    [Fact]
    public void Status_names_the_newest_failed_entry_or_a_later_unfail_line()
    {
        var at = Start.AddMinutes(5);
        var record = SlotRecord.Initial(Old) with { Failed = [new FailedRevision(New, "trial over budget", at)] };
        var added = FailedSetChange.Of(record, []);
        Assert.Equal(new FailedSetChange(at.ToString("O", System.Globalization.CultureInfo.InvariantCulture), "added", New.Sha, "trial over budget"), added);

        var unfail = new HistoryEntry { Trigger = FailedSetChange.UnfailTrigger, Revision = New.Sha, At = at.AddMinutes(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture), Reason = "operator: wrongly blacklisted" };
        var lifted = FailedSetChange.Of(record with { Failed = [] }, [new HistoryLine(1, "", unfail)]);
        Assert.Equal("removed", lifted?.Change);
        Assert.Equal("operator: wrongly blacklisted", lifted?.Reason);
        Assert.Null(FailedSetChange.Of(SlotRecord.Initial(Old), []));
    }

    /// <summary>Old known-good; New staged, booted as the trial, promoted.</summary>
    private static MemoryMediumStorage Promoted()
    {
        var storage = new MemoryMediumStorage();
        storage.CreateDirectory(Layout.ExtlinuxDirectory);
        storage.CreateDirectory(Layout.BootSafe);
        storage.ReplaceAtomically(Path.Combine(Layout.ExtlinuxDirectory, ExtlinuxAdvFile.BootImageName), FakeBootImage.Create());
        var initial = SlotRecord.Initial(Old);
        new YamlSlotStore(storage, Layout).Initialize(initial, Start);
        var bootloader = Bootloader(storage);
        bootloader.Kernels.Install(Old, Kernel(Old), Kernel(Old));
        bootloader.Applier.Reconcile(initial);
        new StageRevision(Session(storage)).Stage(New, new KernelImages(Kernel(New), Kernel(New)), false, Start.AddMinutes(1));
        Session(storage).Fire(new BootObserved(New, "trial"), Start.AddMinutes(2));
        Session(storage).Fire(new HealthPassed(), Start.AddMinutes(3));
        Assert.Equal(New.Sha, Default(storage));
        return storage;
    }

    private static BootArguments Arguments(Revision r, string slot) =>
        BootArguments.Parse($"BOOT_IMAGE=/live/vmlinuz-{r.Sha} boot=webc-bootsafe git-revision={r.Sha} bootsafe.slot={slot} quiet");

    private static MediumBootloader Bootloader(IMediumStorage storage) => new(Layout, storage, null, FixedFileSystemProbe.Ext4);

    private static MediumSession Session(IMediumStorage storage) => MediumSession.Over(new YamlSlotStore(storage, Layout), Bootloader(storage).Applier);

    private static string? Default(IMediumStorage storage)
    {
        var config = new ExtlinuxConfigFile(Layout, storage).Read();
        return config.Default is { } name ? config.Find(name)?.RevisionText : null;
    }

    private static byte[] Kernel(Revision r) => Encoding.ASCII.GetBytes("k" + r.Short);
}
