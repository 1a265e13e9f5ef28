using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Bootloader.Applying;

/// <summary>
/// Fires one event on the persisted record and applies the transition to the bootloader. The caller
/// holds the medium's lock for the duration.
/// </summary>
public sealed class SlotDriver(ISlotStore store, BootloaderApplier applier, Func<DateTimeOffset> clock)
{
    public AppliedTransition Fire(SlotEvent e)
    {
        var record = store.Load().Record;
        var transition = SlotMachine.Fire(record, e, clock());
        return applier.Apply(transition, store.Commit);
    }
}
