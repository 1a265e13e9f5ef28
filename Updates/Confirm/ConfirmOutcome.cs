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

    /// <summary>Failed checks and a rollback, one warning each, so `journalctl -p warning` names them.</summary>
    public IEnumerable<string> Warnings() =>
        (Report?.RequiredFailures ?? []).Select(r => $"required check {r.Describe()}")
        .Concat((Report?.WantedFailures ?? []).Select(r => $"wanted check {r.Describe()} (warning only)"))
        .Concat(Verdict == false ? [$"trial rolled back: {Summary}"] : []);

    /// <summary>The outcome as text, one line each: every check, every hook, the summary, the reboot.</summary>
    public IEnumerable<string> Lines()
    {
        foreach (var result in Report?.Required ?? [])
        {
            yield return $"required {result.Describe()}";
        }

        foreach (var result in Report?.Wanted ?? [])
        {
            yield return $"wanted   {result.Describe()}{(result.Succeeded ? string.Empty : " (warning only)")}";
        }

        foreach (var hook in Hooks)
        {
            yield return $"hook     {hook.Describe()}";
        }

        yield return Summary;
        if (RebootRequested)
        {
            yield return RebootExitCode is { } code ? $"reboot requested (reboot command exited {code})" : "reboot into known-good needed (--no-reboot given)";
        }
    }
}
