using Webc.BootSafe.Updates.Staging;
using Webc.BootSafe.Updates.Boot;
using Webc.BootSafe.Updates.Session;
using System.Collections.Immutable;
using Webc.BootSafe.Bootloader;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Bootloader.Simulation;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Bootloader.Support;

/// <summary>One step of a kiosk's life: stage a new revision that behaves a given way, or boot.</summary>
public abstract record KioskStep(int Cut, int ImagePick);

/// <param name="Cut">0: no power cut; k: power is lost right after the step's k-th medium write.</param>
public sealed record StageStep(BootOutcome Behaviour, int Cut = 0, int ImagePick = 0) : KioskStep(Cut, ImagePick);

public sealed record BootStep(bool AdvWriteFails = false, int Cut = 0, int ImagePick = 0) : KioskStep(Cut, ImagePick);

/// <summary>
/// A kiosk whose medium lives behind the storage port: the real applier, YAML store, ADV writer and
/// the ldlinux model, driven step by step. With a <see cref="RecordingMediumStorage"/> it can lose
/// power after any write (continuing from one of the crash images) and checks the DEFAULT invariant
/// on every crash image after every write.
/// </summary>
public sealed class SimulatedKiosk
{
    private readonly Dictionary<Revision, BootOutcome> _behaviour = [];
    private int _clock;
    private int _nextRevision = 1;

    public SimulatedKiosk(IMediumStorage storage, string root, int maxTrialBoots)
    {
        Storage = storage;
        Layout = new MediumLayout(root);
        Initial = Revisions.Of(0);
        _behaviour[Initial] = BootOutcome.Healthy;
        storage.CreateDirectory(Layout.ExtlinuxDirectory);
        storage.CreateDirectory(Layout.BootSafe);
        storage.ReplaceAtomically(Path.Combine(Layout.ExtlinuxDirectory, ExtlinuxAdvFile.BootImageName), FakeBootImage.Create());
        new YamlSlotStore(storage, Layout).Initialize(SlotRecord.Initial(Initial, maxTrialBoots), Now());
        Bootloader().Kernels.Install(Initial, Kernel(Initial), Initrd(Initial));
        Bootloader().Applier.Reconcile(Store().Load().Record);
    }

    public IMediumStorage Storage { get; private set; }

    public MediumLayout Layout { get; }

    public Revision Initial { get; }

    public List<string> Violations { get; } = [];

    public List<string> Trace { get; } = [];

    public BootOutcome BehaviourOf(Revision revision) => _behaviour[revision];

    public SlotRecord Record => Store().Load().Record;

    /// <summary>Runs a step; returns the boot's choice for a boot step that got as far as ldlinux's choice.</summary>
    public BootChoice? Run(KioskStep step)
    {
        var writes = 0;
        BootChoice? choice = null;
        if (Storage is RecordingMediumStorage recording)
        {
            recording.AfterWrite = what =>
            {
                writes++;
                CheckCrashImages(recording, what);
                if (writes == step.Cut)
                {
                    throw new PowerCut();
                }
            };
        }

        try
        {
            switch (step)
            {
                case StageStep stage:
                    Stage(stage.Behaviour);
                    break;
                case BootStep boot:
                    var simulated = new BootSimulator(Bootloader().Ldlinux, MediumSession.Over(Store(), Bootloader().Applier), Now).Boot(c => { choice = c; return Behaviour(c); }, new BootFaults(boot.AdvWriteFails));
                    choice ??= simulated.Choice;
                    Trace.Add($"boot {simulated.Choice.Label} {simulated.Choice.Revision?.Short} {simulated.Outcome}: {string.Join(" | ", simulated.Transitions.Select(t => t.Transition.Reason))}");
                    break;
            }
        }
        catch (PowerCut)
        {
            var images = ((RecordingMediumStorage)Storage).CrashImages().ToList();
            Storage = images[step.ImagePick % images.Count];
            Trace.Add($"power cut after write {writes} of {step}; image {step.ImagePick % images.Count} of {images.Count}");
        }
        finally
        {
            if (Storage is RecordingMediumStorage r)
            {
                r.AfterWrite = null;
            }
        }

        Check(Storage, "after " + step);
        return choice;
    }

    /// <summary>DEFAULT names a revision that passed health (or the initial one) whose files exist, and a boot does not hang.</summary>
    public void Check(IMediumStorage image, string when)
    {
        var config = new ExtlinuxConfigFile(Layout, image).Read();
        var good = config.Default is { } d ? config.Find(d) : null;
        var revision = good?.Parameter("git-revision") is { } sha && Revision.TryParse(sha, out var r) ? r : (Revision?)null;
        string? problem = null;
        if (config.Default != "good" || config.OnError != "good" || config.TimeoutTenths <= 0)
        {
            problem = $"DEFAULT {config.Default}, ONERROR {config.OnError}, TIMEOUT {config.TimeoutTenths}";
        }
        else if (revision is not { } rev || !_behaviour.TryGetValue(rev, out var behaviour) || behaviour != BootOutcome.Healthy)
        {
            problem = $"DEFAULT names {revision?.Short ?? "nothing"}, which never passed health";
        }
        else if (!image.FileExists(Layout.KernelFile(rev)) || !image.FileExists(Layout.InitrdFile(rev)))
        {
            problem = $"DEFAULT's kernel files of {rev.Short} are missing";
        }
        else if (new BootForecast(Layout, image).NextBoots(1)[0].Hung)
        {
            problem = "the next boot hangs";
        }

        if (problem is not null)
        {
            Violations.Add($"{when}: {problem}\n{string.Join('\n', Trace)}");
        }
    }

    private void CheckCrashImages(RecordingMediumStorage recording, string what)
    {
        foreach (var image in recording.CrashImages())
        {
            Check(image, $"power cut right after '{what}'");
        }
    }

    private void Stage(BootOutcome behaviour)
    {
        var revision = Revisions.Of(_nextRevision++);
        _behaviour[revision] = behaviour;
        var store = Store();
        if (SlotRules.Refusal(store.Load().Record, new Stage(revision)) is not null)
        {
            Trace.Add($"stage {revision.Short} refused");
            return;
        }

        var bootloader = Bootloader();
        new StageRevision(MediumSession.Over(store, bootloader.Applier)).Stage(revision, new KernelImages(Kernel(revision).ToArray(), Initrd(revision).ToArray()), force: false, Now());
        Trace.Add($"staged {revision.Short} ({behaviour})");
    }

    private BootOutcome Behaviour(BootChoice choice) =>
        choice.Revision is { } r && _behaviour.TryGetValue(r, out var b) ? b : BootOutcome.KernelPanics;

    private MediumBootloader Bootloader() => new(Layout, Storage, null, FixedFileSystemProbe.Ext4);

    private YamlSlotStore Store() => new(Storage, Layout);

    private DateTimeOffset Now() => DateTimeOffset.UnixEpoch.AddMinutes(_clock++);

    private static byte[] Kernel(Revision r) => System.Text.Encoding.ASCII.GetBytes("kernel " + r.Sha);

    private static byte[] Initrd(Revision r) => System.Text.Encoding.ASCII.GetBytes("initrd " + r.Sha);

    private sealed class PowerCut : Exception;
}
