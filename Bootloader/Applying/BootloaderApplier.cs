using System.Collections.Immutable;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Bootloader.Kernels;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Bootloader.Applying;

/// <summary>
/// The bootloader's part of a transition, in the phases the medium session interleaves with its
/// commit (docs/crash-safety.md gives the reason for each step):
/// <list type="number">
/// <item><see cref="Prepare"/>: check every precondition (kernel files of the labels to write) before touching anything;</item>
/// <item><see cref="BeforeCommit"/>: disarm BOOTONCE, so from here on the next boot runs DEFAULT (if the
/// ADV cannot be written, extlinux.conf is written without a trial label instead, which has the same
/// effect; a warning says so); then rewrite extlinux.conf atomically;</item>
/// <item>(the session commits the slot record);</item>
/// <item><see cref="AfterCommit"/>: arm BOOTONCE once the record says a trial is expected, then prune
/// kernel files that the now durable configuration no longer names.</item>
/// </list>
/// The reboot a transition asks for is reported, never performed here.
/// </summary>
public sealed class BootloaderApplier(MediumLayout layout, IMediumStorage storage, IBootOnce bootOnce, BootEntryOptions options)
{
    private readonly ExtlinuxConfigFile _config = new(layout, storage);
    private readonly KernelFiles _kernels = new(layout, storage);

    public KernelFiles Kernels => _kernels;

    public ExtlinuxConfigFile Config => _config;

    public MediumLayout Layout => layout;

    public IMediumStorage Storage => storage;

    public IBootOnce BootOnce => bootOnce;

    /// <summary>What the transition asks of the bootloader; throws, with nothing written, when it cannot be done.</summary>
    public BootloaderWork Prepare(Transition transition) => new(transition, Entries(transition) ?? TrialLabelRepair(transition));

    public void BeforeCommit(BootloaderWork work, ApplyLog log)
    {
        var transition = work.Transition;
        if (transition.Actions.OfType<DisarmBootOnce>().Any() && bootOnce.Read() is not null)
        {
            try
            {
                bootOnce.Write(null);
                log.Step("disarmed boot-once");
            }
            catch (OperationFailedException e)
            {
                // Failing here would leave the once entry and its label in place, so the revision being
                // given up would boot again and again. A once naming a label that extlinux.conf no
                // longer has falls back to DEFAULT (TIMEOUT > 0, ONERROR good): the same outcome.
                work.Entries = Entries(new WriteBootEntries(transition.After.KnownGood, null, transition.After.Previous));
                log.Warn($"boot-once not disarmed ({e.Message}); extlinux.conf is written without a trial label, so the leftover once entry falls back to DEFAULT");
                log.Step("could not disarm boot-once");
            }
        }

        if (work.Entries is { } entries)
        {
            _config.Write(entries, options);
            log.Step($"wrote {layout.ExtlinuxConfig}: {string.Join(", ", entries.Labels.Select(l => $"{l.Label.Name()}={l.Revision.Short}"))}");
        }
    }

    public void AfterCommit(BootloaderWork work, ApplyLog log)
    {
        if (work.Transition.Actions.OfType<ArmBootOnce>().LastOrDefault() is { } arm)
        {
            // previous is only the fallback: its label is dropped when its files were pruned. A once
            // entry naming no label would fall back to DEFAULT anyway; say so instead of arming it.
            if (arm.Label == SlotLabel.Previous && !_kernels.Exist(arm.Revision))
            {
                log.Warn($"previous {arm.Revision.Short} has no kernel files on the medium, so no label: boot-once not armed, known-good boots again");
            }
            else
            {
                bootOnce.Write(arm.Label.Name());
                log.Step($"armed boot-once: {arm.Label.Name()}");
            }
        }

        if (work.Entries is not null)
        {
            var pruned = _kernels.Prune(_config.Read());
            if (pruned.Count > 0)
            {
                log.Pruned(pruned);
            }
        }
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

    /// <summary>
    /// Boot-once arms the label `trial`, so that label must name the trial the record names. A power cut
    /// in the middle of a replacement (Staged to Staged: boot-once disarmed, extlinux.conf rewritten,
    /// record not yet committed) leaves the label naming the new candidate while the record names the
    /// old trial; a re-arm then (known-good came up instead) writes the entries from the record first,
    /// so boot-once never leads to a revision the record does not expect.
    /// </summary>
    private BootEntries? TrialLabelRepair(Transition transition)
    {
        if (transition.Actions.OfType<ArmBootOnce>().LastOrDefault() is not { Label: SlotLabel.Trial } arm
            || _config.ReadDocument().Entries?.Trial == arm.Revision
            || !_kernels.Exist(arm.Revision))
        {
            return null;
        }

        return Entries(new WriteBootEntries(transition.After.KnownGood, arm.Revision, transition.After.Previous));
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
