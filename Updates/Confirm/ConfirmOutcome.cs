using System.Collections.Immutable;

namespace Webc.BootSafe.Updates.Confirm;

/// <summary>What <c>confirm</c> did: nothing (with why), or the checks, the transition, the hooks and the reboot.</summary>
public sealed record ConfirmOutcome(
    string Summary,
    HealthReport? Report,
    string? Transition,
    ImmutableList<ScriptResult> Hooks,
    bool RebootRequested,
    int? RebootExitCode)
{
    public bool Failed => Report is { Passed: false };

    public static ConfirmOutcome Nothing(string why) => new(why, null, null, [], false, null);
}
