using System.Collections.Immutable;
using Webc.BootSafe.StateMachine.Machine;

namespace Webc.BootSafe.Updates.Session;

/// <summary>
/// What firing one event did: the committed transition, the steps taken on the medium, the kernel
/// files pruned, what was worked around, the reboot the machine asks for, and a recovery of the
/// record at load, if any. Every use case that fires an event returns this.
/// </summary>
public sealed record Outcome(
    Transition Transition,
    ImmutableList<string> Steps,
    ImmutableList<string> Pruned,
    ImmutableList<string> Warnings,
    string? RebootReason,
    string? Recovery)
{
    public bool RebootRequested => RebootReason is not null;

    /// <summary>No event fired: the record as it was, with one explanatory step (an interrupted stage finished, say).</summary>
    public static Outcome Unchanged(Transition transition, string step) => new(transition, [step], [], [], null, null);
}
