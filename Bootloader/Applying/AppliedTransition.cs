using System.Collections.Immutable;
using Webc.BootSafe.StateMachine.Machine;

namespace Webc.BootSafe.Bootloader.Applying;

/// <summary>What applying a transition did, step by step, and whether the caller must reboot.</summary>
public sealed record AppliedTransition(
    Transition Transition,
    ImmutableList<string> Steps,
    ImmutableList<string> Pruned,
    string? RebootReason)
{
    /// <summary>What went wrong but was worked around (for the operator: the transition still took effect).</summary>
    public ImmutableList<string> Warnings { get; init; } = [];
}
