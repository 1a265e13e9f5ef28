using System.Collections.Immutable;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Bootloader.Kernels;
using Webc.BootSafe.StateMachine.Errors;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Bootloader.Applying;

/// <summary>
/// Carries out a transition's actions and persists it, in the one order that is crash-safe for every
/// transition (docs/crash-safety.md gives the reason for each step):
/// <list type="number">
/// <item>check every precondition (kernel files of the labels to write) before touching anything;</item>
/// <item>disarm BOOTONCE, so from here on the next boot runs DEFAULT (if the ADV cannot be written,
/// extlinux.conf is rewritten without a trial label instead, which has the same effect; a warning says so);</item>
/// <item>rewrite extlinux.conf atomically (DEFAULT only ever names a revision whose files exist);</item>
/// <item>commit the slot record (through <c>commit</c>, the store of the caller's session);</item>
/// <item>arm BOOTONCE last, once the record says a trial is expected;</item>
/// <item>prune kernel files that the now durable configuration no longer names.</item>
/// </list>
/// The reboot a transition asks for is returned, never performed here.
/// </summary>
public sealed class BootloaderApplier(MediumLayout layout, IMediumStorage storage, IBootOnce bootOnce, BootEntryOptions options)
{
    private readonly ExtlinuxConfigFile _config = new(layout, storage);
    private readonly KernelFiles _kernels = new(layout, storage);

    public AppliedTransition Apply(Transition transition, Action<Transition> commit)
    {
        var steps = ImmutableList.CreateBuilder<string>();
        var entries = Entries(transition);

        var warnings = ImmutableList.CreateBuilder<string>();
        if (transition.Actions.OfType<DisarmBootOnce>().Any() && bootOnce.Read() is not null)
        {
            try
            {
                bootOnce.Write(null);
                steps.Add("disarmed boot-once");
            }
            catch (OperationFailedException e)
            {
                // Failing here would leave the once entry and its label in place, so the revision being
                // given up would boot again and again. A once naming a label that extlinux.conf no
                // longer has falls back to DEFAULT (TIMEOUT > 0, ONERROR good): the same outcome.
                entries ??= Entries(new WriteBootEntries(transition.After.KnownGood, null, transition.After.Previous));
                warnings.Add($"boot-once not disarmed ({e.Message}); extlinux.conf is written without a trial label, so the leftover once entry falls back to DEFAULT");
                steps.Add("could not disarm boot-once");
            }
        }

        if (entries is not null)
        {
            _config.Write(entries, options);
            steps.Add($"wrote {layout.ExtlinuxConfig}: {string.Join(", ", entries.Labels.Select(l => $"{l.Label.Name()}={l.Revision.Short}"))}");
        }

        commit(transition);
        steps.Add($"committed state {transition.After.State} (generation {transition.After.Generation})");

        if (transition.Actions.OfType<ArmBootOnce>().FirstOrDefault() is not null)
        {
            bootOnce.Write(SlotLabel.Trial.Name());
            steps.Add("armed boot-once: trial");
        }

        var pruned = entries is null ? [] : _kernels.Prune(_config.Read());
        if (pruned.Count > 0)
        {
            steps.Add("pruned " + string.Join(", ", pruned));
        }

        var reboot = transition.Actions.OfType<Reboot>().FirstOrDefault()?.Reason;
        return new AppliedTransition(transition, steps.ToImmutable(), [.. pruned], reboot) { Warnings = warnings.ToImmutable() };
    }

    /// <summary>
    /// Makes extlinux.conf name what <paramref name="record"/> says (good; trial while one is staged or
    /// trying; previous) and prunes what it no longer names: for a new medium, and to repair a
    /// configuration edited by hand. Boot-once is left alone.
    /// </summary>
    public BootEntries Reconcile(SlotRecord record)
    {
        var trial = record.State is SlotState.Staged or SlotState.Trying ? record.Trial : null;
        var entries = Entries(new WriteBootEntries(record.KnownGood, trial, record.Previous));
        _config.Write(entries, options);
        _kernels.Prune(_config.Read());
        return entries;
    }

    private BootEntries? Entries(Transition transition) =>
        transition.Actions.OfType<WriteBootEntries>().LastOrDefault() is { } write ? Entries(write) : null;

    /// <summary>
    /// The entries to write, with a previous label whose files were pruned dropped (it is only the
    /// manual fallback), and refusing when good's or trial's files are missing: DEFAULT and the
    /// once entry must always name something that boots.
    /// </summary>
    private BootEntries Entries(WriteBootEntries write)
    {
        foreach (var (label, revision) in new[] { (SlotLabel.Good, (Revision?)write.Good), (SlotLabel.Trial, write.Trial) })
        {
            if (revision is { } r && !_kernels.Exist(r))
            {
                throw new OperationFailedException(
                    $"cannot write label {label.Name()}: kernel or initrd of {r.Short} is missing ({layout.KernelFile(r)}, {layout.InitrdFile(r)})");
            }
        }

        var previous = write.Previous is { } p && _kernels.Exist(p) ? p : (Revision?)null;
        return new BootEntries(write.Good, write.Trial, previous);
    }
}
