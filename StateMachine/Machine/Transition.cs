using System.Collections.Immutable;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.StateMachine.Machine;

/// <summary>One fired event: the record before and after, and the actions the adapters owe.</summary>
public sealed record Transition(
    SlotEvent Event,
    SlotRecord Before,
    SlotRecord After,
    ImmutableList<SlotAction> Actions,
    string Reason,
    DateTimeOffset At);
