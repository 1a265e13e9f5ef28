namespace Webc.BootSafe.Updates.Confirm;

/// <summary>How one health script or hook ended. <see cref="ExitCode"/> is null when it was killed at its timeout or could not start.</summary>
public sealed record ScriptResult(string Name, int? ExitCode, bool TimedOut, TimeSpan Duration, string? StartError = null)
{
    public bool Succeeded => ExitCode == 0;

    public string Describe() =>
        StartError is not null ? $"{Name}: could not start: {StartError}"
        : TimedOut ? $"{Name}: timed out after {Duration.TotalSeconds:0.#} s (killed)"
        : ExitCode == 0 ? $"{Name}: ok ({Duration.TotalSeconds:0.#} s)"
        : $"{Name}: failed with exit code {ExitCode} ({Duration.TotalSeconds:0.#} s)";
}
