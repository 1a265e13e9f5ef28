using System.Collections.Immutable;

namespace Webc.BootSafe.Updates.Confirm;

/// <summary>The outcome of the required and wanted checks: the trial passes when every required check succeeded.</summary>
public sealed record HealthReport(ImmutableList<ScriptResult> Required, ImmutableList<ScriptResult> Wanted)
{
    public bool Passed => Required.All(r => r.Succeeded);

    public IEnumerable<ScriptResult> RequiredFailures => Required.Where(r => !r.Succeeded);

    public IEnumerable<ScriptResult> WantedFailures => Wanted.Where(r => !r.Succeeded);

    /// <summary>The reason recorded with HealthFailed: which required checks failed and how.</summary>
    public string FailureReason => string.Join("; ", RequiredFailures.Select(r => r.Describe()));
}
