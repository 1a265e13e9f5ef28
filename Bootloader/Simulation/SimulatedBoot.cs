using System.Collections.Immutable;
using Webc.BootSafe.Bootloader.Applying;

namespace Webc.BootSafe.Bootloader.Simulation;

/// <summary>One simulated boot: what ldlinux chose, how it went, and what BootSafe did about it.</summary>
public sealed record SimulatedBoot(BootChoice Choice, BootOutcome? Outcome, ImmutableList<AppliedTransition> Transitions)
{
    public string? RebootReason => Transitions.Select(t => t.RebootReason).LastOrDefault(r => r is not null);
}
