using Webc.BootSafe.Updates.Staging;
using Webc.BootSafe.Updates.Session;
using Webc.BootSafe.Bootloader;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Bootloader.Simulation;
using Webc.BootSafe.Updates.Boot;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.PowerCut.Support;

/// <summary>
/// Runs kiosk commands against any medium image through the production code paths: the Stager
/// (stage, fetch --stage), ldlinux's model then the initramfs's <see cref="BootSelector"/> and the
/// health verdict through <see cref="SlotDecisions"/> (boot), and <see cref="SlotDecisions"/> for
/// unstage. The medium lives behind the storage port; only the flock file is real (root is a real
/// temporary directory), since the lock is not a medium write.
/// </summary>
public sealed class PowerCutKiosk
{
    private readonly Dictionary<Revision, BootOutcome> _behaviour = [];
    private int _clock;

    public PowerCutKiosk(string root)
    {
        Layout = new MediumLayout(root);
        Directory.CreateDirectory(Layout.BootSafe);
        Directory.CreateDirectory(Layout.ExtlinuxDirectory);
        Initial = Revisions.Of(0);
        _behaviour[Initial] = BootOutcome.Healthy;
        PassedHealth.Add(Initial);
    }

    public MediumLayout Layout { get; }

    public Revision Initial { get; }

    /// <summary>Every revision that was known-good at some point: the ones DEFAULT may name.</summary>
    public HashSet<Revision> PassedHealth { get; } = [];

    public RecordingMediumStorage Install(int maxTrialBoots)
    {
        var storage = new RecordingMediumStorage();
        storage.CreateDirectory(Layout.ExtlinuxDirectory);
        storage.CreateDirectory(Layout.BootSafe);
        storage.ReplaceAtomically(Path.Combine(Layout.ExtlinuxDirectory, ExtlinuxAdvFile.BootImageName), FakeBootImage.Create());
        new YamlSlotStore(storage, Layout).Initialize(SlotRecord.Initial(Initial, maxTrialBoots), Now());
        Bootloader(storage).Kernels.Install(Initial, Kernel(Initial), Initrd(Initial));
        Bootloader(storage).Applier.Reconcile(new YamlSlotStore(storage, Layout).Load().Record);
        return storage.Clone();
    }

    public MediumBootloader Bootloader(IMediumStorage storage) => new(Layout, storage, null, FixedFileSystemProbe.Ext4);

    public MediumSession Open(IMediumStorage storage) => MediumSession.Open(Layout, storage, null, null, FixedFileSystemProbe.Ext4);

    public SlotRecord Load(IMediumStorage storage) => new YamlSlotStore(storage, Layout).Load().Record;

    /// <summary>Trials a newer stage replaced before they came up: none of them may boot again.</summary>
    public HashSet<Revision> Replaced { get; } = [];

    public BootOutcome BehaviourOf(Revision revision) => _behaviour.GetValueOrDefault(revision, BootOutcome.KernelPanics);

    /// <summary>Runs the command to completion on <paramref name="storage"/>; returns what happened, for traces.</summary>
    public string Run(IMediumStorage storage, KioskCommand command) => command switch
    {
        StageCommand s => Stage(storage, s.Revision, s.Behaviour),
        FetchCommand f => Stage(storage, f.Revision, f.Behaviour),
        UnstageCommand => Fire(storage, new Unstage()),
        BootCommand => Boot(storage),
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    /// <summary>ldlinux's choice and the initramfs's `select` on that choice (no health verdict).</summary>
    public (BootChoice Choice, Selection? Selection) PowerOn(IMediumStorage storage)
    {
        var choice = new Ldlinux(Layout, storage).Boot();
        if (choice.Hung || choice.CommandLine is null || choice.Revision is { } r && BehaviourOf(r) == BootOutcome.KernelPanics)
        {
            return (choice, null);
        }

        var selection = new SelectBoot(() => Open(storage)).Select(BootArguments.Parse(choice.CommandLine), Now());
        return (choice, selection);
    }

    private string Stage(IMediumStorage storage, Revision revision, BootOutcome behaviour)
    {
        _behaviour[revision] = behaviour;
        using var session = Open(storage);
        try
        {
            var applied = new StageRevision(session).Stage(revision, new KernelImages(Kernel(revision).ToArray(), Initrd(revision).ToArray()), force: false, Now());
            return $"staged {revision.Short}: {applied.Transition.Reason}";
        }
        catch (TransitionRefusedException e)
        {
            return "refused: " + e.Message;
        }
    }

    private string Fire(IMediumStorage storage, SlotEvent e)
    {
        using var session = Open(storage);
        if (SlotRules.Refusal(session.Record, e) is { } refusal)
        {
            return "refused: " + refusal;
        }

        var decision = session.Fire(e, Now());
        return $"{e.Trigger}: {decision.Transition.Before.State} -> {decision.Transition.After.State}";
    }

    private string Boot(IMediumStorage storage)
    {
        var (choice, selection) = PowerOn(storage);
        if (choice.Revision is { } booted && Replaced.Contains(booted))
        {
            throw new InvalidOperationException($"{choice.Label} {booted.Short} booted, a trial that was replaced before it came up");
        }

        if (selection is null)
        {
            return choice.Hung ? "hung" : $"{choice.Label} {choice.Revision?.Short} panicked";
        }

        var outcome = BehaviourOf(selection.Revision);
        var said = $"{choice.Label} {choice.Revision?.Short} -> {selection.Revision.Short} ({selection.Reason})";
        if (selection.RebootRequested || outcome == BootOutcome.InitramfsFails || Load(storage).State != SlotState.Trying)
        {
            return said;
        }

        return said + "; " + Fire(storage, outcome == BootOutcome.Healthy ? new HealthPassed() : new HealthFailed("simulated health check failed"));
    }

    private DateTimeOffset Now() => DateTimeOffset.UnixEpoch.AddMinutes(Interlocked.Increment(ref _clock));

    public static byte[] Kernel(Revision r) => System.Text.Encoding.ASCII.GetBytes("k" + r.Short);

    public static byte[] Initrd(Revision r) => System.Text.Encoding.ASCII.GetBytes("i" + r.Short);
}
