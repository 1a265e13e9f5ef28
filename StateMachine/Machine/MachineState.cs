using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.StateMachine.Machine;

/// <summary>
/// The states Stateless is configured with: the record's four <see cref="SlotState"/>s (same values,
/// so a cast converts) plus the superstate <see cref="Settled"/>, which no record is ever in. Stable
/// and RolledBack are its substates and share its rows, so they are written once.
/// </summary>
public enum MachineState
{
    Stable = SlotState.Stable,
    Staged = SlotState.Staged,
    Trying = SlotState.Trying,
    RolledBack = SlotState.RolledBack,

    /// <summary>No trial is out (Stable or RolledBack): a new one may be staged.</summary>
    Settled,
}
