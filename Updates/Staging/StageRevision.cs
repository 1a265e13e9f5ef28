using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Updates.Staging;

/// <summary>
/// Use case "stage": everything that can refuse is checked before the first byte is written (the
/// machine allows the stage, then <see cref="StagePreconditions"/>: boot-once can be armed, the
/// medium is writable with room for the kernel files, extlinux.conf has no refused line), then the
/// revision's kernel files go on the medium, then Stage is fired through the session, whose actions
/// write the trial label, commit the record and arm boot-once, in that order.
/// </summary>
/// <remarks>
/// Staging the revision that is already the staged trial, with boot-once not armed for it, finishes a
/// stage a power cut interrupted between the commit and the arm: it arms boot-once (nothing else is
/// missing then), so re-running the interrupted command completes it instead of being refused. Boot-once
/// may still hold `previous` then (armed by the known-good fallback and not yet booted): the trial's
/// arm replaces it, as the uninterrupted stage's does. Staging it again once it is armed changes nothing.
/// A different revision while a trial is staged replaces that trial (issue 18, <see cref="SlotTable"/>).
/// </remarks>
public sealed class StageRevision(MediumSession session)
{
    /// <param name="verify">
    /// Fetch's checks on the revision (signature, descent from known-good, tree rules), run once the
    /// machine allows the stage and before anything is written; a refusal leaves a history line. Null
    /// when they ran already (fetch) or were skipped with `--no-verify` (<paramref name="unverified"/>).
    /// </param>
    public Outcome Stage(Revision revision, KernelImages images, bool force, DateTimeOffset now, Action? verify = null, bool unverified = false)
    {
        var kernels = session.Applier.Kernels;
        var bootOnce = session.Applier.BootOnce;
        var stage = new Stage(revision, force, unverified);
        var record = session.Record;
        if (record is { State: SlotState.Staged, Trial: { } staged } && staged == revision && kernels.Exist(revision))
        {
            if (bootOnce.Read() == SlotLabel.Trial.Name())
            {
                // The hourly fetch (or `update --now`) finding the candidate it staged before: done already.
                var done = new Transition(stage, record, record, [], $"{revision.Short} is already the staged trial, armed for the next boot", now);
                return Outcome.Unchanged(done, "already staged: nothing to do");
            }

            bootOnce.Write(SlotLabel.Trial.Name());
            var finished = new Transition(stage, record, record, [new ArmBootOnce(revision)], $"{revision.Short} was already staged; armed boot-once to finish the interrupted stage", now);
            return Outcome.Unchanged(finished, "armed boot-once: trial");
        }

        if (SlotRules.Refusal(record, stage) is { } refusal)
        {
            session.RecordRefusal(stage, refusal, now);
            throw new TransitionRefusedException(refusal);
        }

        try
        {
            verify?.Invoke();
        }
        catch (OperationFailedException refused)
        {
            session.RecordRefusal(stage, refused.Message, now);
            throw;
        }

        StagePreconditions.Check(session.Applier, revision, images);
        kernels.Install(revision, images.Kernel, images.Initrd);
        return session.Fire(stage, now);
    }
}
