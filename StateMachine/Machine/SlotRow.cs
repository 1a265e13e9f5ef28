using System.Collections.Immutable;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.StateMachine.Machine;

/// <summary>
/// A guard of the transition table. <see cref="Unmet"/> returns null when the event may take the row,
/// or the refusal the operator reads when it may not: the one place that text is written.
/// </summary>
public sealed record SlotGuard(string Description, Func<SlotRecord, SlotEvent, string?> Unmet)
{
    /// <summary>The row is taken whenever its state and trigger match.</summary>
    public static readonly SlotGuard Always = new("", (_, _) => null);
}

/// <summary>What a row does to the record, the actions it owes, and the reason recorded in history.</summary>
public sealed record SlotEffect(SlotRecord Record, ImmutableList<SlotAction> Actions, string Reason);

/// <summary>
/// One row of the transition table: in <paramref name="From"/> (a state or the superstate Settled),
/// <paramref name="Trigger"/> whose <paramref name="Guard"/> holds goes to <paramref name="To"/> (null:
/// an internal transition, the state stays) and applies <paramref name="Effect"/>, which owes the
/// actions described by <paramref name="Actions"/> (shown in the diagram).
/// </summary>
public sealed record SlotRow(
    MachineState From,
    SlotTrigger Trigger,
    SlotGuard Guard,
    MachineState? To,
    Func<SlotRecord, SlotEvent, DateTimeOffset, SlotEffect> Effect,
    string Actions)
{
    /// <summary>The guard description Stateless exports: the guard, then what the row does.</summary>
    public string Label => (Guard.Description, Actions) switch
    {
        ("", "") => "always",
        ("", var actions) => "do " + actions,
        (var guard, "") => guard,
        var (guard, actions) => $"{guard} / do {actions}",
    };
}
