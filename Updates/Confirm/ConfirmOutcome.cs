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
    /// <summary>The verdict recorded (true passed, false failed), or null when none was (nothing to judge, or only checked).</summary>
    public bool? Verdict { get; init; }

    /// <summary>The trial failed: its required checks failed, or the verdict recorded was a failure.</summary>
    public bool Failed => Verdict == false || Report is { Passed: false };

    public static ConfirmOutcome Nothing(string why) => new(why, null, null, [], false, null);
}
