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
public sealed class Stager(ISlotStore store, KernelFiles kernels, SlotDriver driver)
{
    public AppliedTransition Stage(Revision revision, ReadOnlySpan<byte> kernel, ReadOnlySpan<byte> initrd, bool force = false)
    {
        var stage = new Stage(revision, force);
        if (SlotRules.Refusal(store.Load().Record, stage) is { } refusal)
        {
            throw new TransitionRefusedException(refusal);
        }

        kernels.Install(revision, kernel, initrd);
        return driver.Fire(stage);
    }
}
