using System.Collections.Immutable;
using Webc.BootSafe.Bootloader.Kernels;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Bootloader.Applying;

/// <summary>
/// Stages a revision: checks the machine allows it before writing anything (a refused stage leaves the
/// medium as it was), puts its kernel files on the medium, then fires Stage, whose actions write the
/// trial label, commit the record and arm boot-once, in that order.
/// </summary>
/// <remarks>
/// Staging the revision that is already the staged trial, with boot-once not armed, finishes a stage
/// a power cut interrupted between the commit and the arm: it arms boot-once (nothing else is
/// missing then), so re-running the interrupted command completes it instead of being refused.
/// </remarks>
public sealed class Stager(ISlotStore store, KernelFiles kernels, SlotDriver driver, IBootOnce? bootOnce = null)
{
    public AppliedTransition Stage(Revision revision, ReadOnlySpan<byte> kernel, ReadOnlySpan<byte> initrd, bool force = false)
    {
        var stage = new Stage(revision, force);
        var record = store.Load().Record;
        if (bootOnce is not null && record is { State: SlotState.Staged, Trial: { } staged } && staged == revision && kernels.Exist(revision) && bootOnce.Read() is null)
        {
            bootOnce.Write(SlotLabel.Trial.Name());
            var finished = new Transition(stage, record, record, [new ArmBootOnce(revision)], $"{revision.Short} was already staged; armed boot-once to finish the interrupted stage", DateTimeOffset.UtcNow);
            return new AppliedTransition(finished, ["armed boot-once: trial"], [], null);
        }

        if (SlotRules.Refusal(record, stage) is { } refusal)
        {
            throw new TransitionRefusedException(refusal);
        }

        kernels.Install(revision, kernel, initrd);
        return driver.Fire(stage);
    }
}
