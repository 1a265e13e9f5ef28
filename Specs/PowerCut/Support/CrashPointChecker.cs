using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.PowerCut.Support;

/// <summary>
/// What must hold on the disk a power cut leaves: (a) it boots, through ldlinux and `select`, into a
/// revision that passed health (or the armed trial), whose kernel and initrd are there; (b) its state
/// loads, or is recovered with a message; (c) the interrupted command runs again to completion with
/// the result the uninterrupted run had. Returns the first problem, or null.
/// </summary>
public sealed class CrashPointChecker(PowerCutKiosk kiosk)
{
    public string? Check(RecordingMediumStorage image, KioskCommand interrupted, SlotRecord expected, string? expectedOnce)
    {
        SlotRecord record;
        try
        {
            record = kiosk.Load(image);
        }
        catch (Exception e)
        {
            return $"(b) the state neither loads nor recovers: {e.Message}";
        }

        // Two power-ons: the first one's `select` may re-arm the trial, and what that arms must boot too
        // (a cut inside a replacement leaves extlinux.conf and the record naming different trials).
        var booted = image.Clone();
        for (var boot = 1; boot <= 2; boot++)
        {
            if (Booting(booted, kiosk.Load(booted)) is { } bootProblem)
            {
                return $"(a) boot {boot}: " + bootProblem;
            }
        }

        var rerun = image.Clone();
        string said;
        try
        {
            said = kiosk.Run(rerun, interrupted);
        }
        catch (Exception e)
        {
            return $"(c) re-running '{interrupted}' failed: {e.GetType().Name}: {e.Message}";
        }

        if (interrupted is not BootCommand)
        {
            var after = kiosk.Load(rerun);
            var once = kiosk.Bootloader(rerun).BootOnce.Read();
            if ((after.State, after.KnownGood, after.Trial, once) != (expected.State, expected.KnownGood, expected.Trial, expectedOnce))
            {
                return $"(c) re-running '{interrupted}' ({said}) left {after.State} good {after.KnownGood.Short} trial {after.Trial?.Short} once {once ?? "-"}; " +
                       $"uninterrupted: {expected.State} good {expected.KnownGood.Short} trial {expected.Trial?.Short} once {expectedOnce ?? "-"}";
            }
        }

        return Default(rerun) is { } d ? $"(c) after re-running '{interrupted}' ({said}): {d}" : null;
    }

    /// <summary>DEFAULT (and ONERROR) name a revision that passed health whose kernel files exist.</summary>
    public string? Default(RecordingMediumStorage image)
    {
        var config = new ExtlinuxConfigFile(kiosk.Layout, image).Read();
        var good = config.Default is { } d ? config.Find(d) : null;
        var revision = good?.Parameter("git-revision") is { } sha && Revision.TryParse(sha, out var r) ? r : (Revision?)null;
        if (config.Default != "good" || config.OnError != "good" || config.TimeoutTenths <= 0)
        {
            return $"DEFAULT {config.Default}, ONERROR {config.OnError}, TIMEOUT {config.TimeoutTenths}";
        }

        if (revision is not { } rev || !kiosk.PassedHealth.Contains(rev))
        {
            return $"DEFAULT names {revision?.Short ?? "nothing"}, which never passed health";
        }

        return Present(image, rev) ? null : $"DEFAULT's kernel files of {rev.Short} are missing";
    }

    private string? Booting(RecordingMediumStorage image, SlotRecord record)
    {
        if (Default(image) is { } problem)
        {
            return problem;
        }

        var files = kiosk.Layout.Live is var live ? image.ListFiles(live).ToHashSet() : [];
        var (choice, selection) = kiosk.PowerOn(image);
        if (choice.Hung || choice.Revision is not { } booted)
        {
            return $"ldlinux booted nothing: {string.Join("; ", choice.Steps)}";
        }

        if (kiosk.Replaced.Contains(booted))
        {
            return $"ldlinux booted {choice.Label} {booted.Short}, a trial that was replaced before it came up";
        }

        var trial = choice.Label == "trial" && record.Trial == booted && record.State is SlotState.Staged or SlotState.Trying;
        if (!trial && !kiosk.PassedHealth.Contains(booted))
        {
            return $"ldlinux booted {choice.Label} {booted.Short}, neither a healthy revision nor the recorded trial";
        }

        if (!files.Contains(Path.GetFileName(kiosk.Layout.KernelFile(booted))) || !files.Contains(Path.GetFileName(kiosk.Layout.InitrdFile(booted))))
        {
            return $"ldlinux booted {choice.Label} {booted} whose kernel files are missing: {string.Join("; ", choice.Steps)}";
        }

        if (selection is null)
        {
            return null; // the trial's kernel panics: ldlinux's next boot is DEFAULT, checked above
        }

        if (selection.Reason.StartsWith("state unavailable", StringComparison.Ordinal))
        {
            return $"select could not use the state: {string.Join("; ", selection.Warnings)}";
        }

        // Without a reboot the chosen revision is the one already running (its kernel is in memory);
        // what must boot next is DEFAULT, checked below. A reboot must target a healthy revision.
        if (selection.RebootRequested && (!kiosk.PassedHealth.Contains(selection.Revision) || !Present(image, selection.Revision)))
        {
            return $"select chose {selection.Revision.Short} (reboot {selection.RebootRequested}), which cannot boot";
        }

        return Default(image) is { } after ? "after select: " + after : null;
    }

    private bool Present(RecordingMediumStorage image, Revision revision) =>
        image.FileExists(kiosk.Layout.KernelFile(revision)) && image.FileExists(kiosk.Layout.InitrdFile(revision));
}
