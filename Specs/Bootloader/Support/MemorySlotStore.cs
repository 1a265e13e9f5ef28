using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Specs.Bootloader.Support;

/// <summary>A slot store in memory, for specs of the applier's ordering (the real store is StateMachine's).</summary>
public sealed class MemorySlotStore(SlotRecord record, Action<string>? log = null) : ISlotStore
{
    public SlotRecord Record { get; private set; } = record;

    public void Initialize(SlotRecord initial, DateTimeOffset at) => Record = initial;

    public StoreLoad Load() => new(Record, null);

    public void Commit(Transition transition)
    {
        Record = transition.After;
        log?.Invoke("commit " + transition.After.State);
    }
}
