using System.Collections.Immutable;
using Webc.BootSafe.Bootloader.Simulation;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Updates.Boot;

/// <summary>One simulated boot: what ldlinux chose, how it went, and what BootSafe did about it.</summary>
public sealed record SimulatedBoot(BootChoice Choice, BootOutcome? Outcome, ImmutableList<Outcome> Transitions)
{
    public string? RebootReason => Transitions.Select(t => t.RebootReason).LastOrDefault(r => r is not null);
}
