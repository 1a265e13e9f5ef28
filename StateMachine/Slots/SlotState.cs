namespace Webc.BootSafe.StateMachine.Slots;

/// <summary>The machine's states; see docs/state-machine.md for the transition table.</summary>
public enum SlotState
{
    /// <summary>Only known-good exists; nothing is armed.</summary>
    Stable,

    /// <summary>A trial is on the medium and boot-once is armed for it; it has not come up yet.</summary>
    Staged,

    /// <summary>The trial has booted and waits for its health verdict.</summary>
    Trying,

    /// <summary>The last trial failed; known-good runs; the failure is on record.</summary>
    RolledBack,
}
