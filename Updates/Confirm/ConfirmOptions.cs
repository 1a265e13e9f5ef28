using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Updates.Confirm;

/// <summary>What <c>confirm</c> was asked to do.</summary>
public sealed record ConfirmOptions(
    IReadOnlyList<HealthDirectory> Health,
    TimeSpan ScriptTimeout,
    string? RunningRevisionText,
    RebootCommand Reboot,
    bool NoReboot)
{
    /// <summary>Judge even when no health directory has a required.d (a verdict with no check behind it).</summary>
    public bool AllowNoChecks { get; init; }

    /// <summary>Which half of the judgement to do (systemd runs the halves on either side of boot-complete.target).</summary>
    public ConfirmStep Step { get; init; } = ConfirmStep.CheckAndRecord;

    /// <summary>Where the check half leaves its result for the verdict half (a tmpfs: one boot's).</summary>
    public string ResultFile { get; init; } = HealthResultFile.DefaultPath;

    /// <summary>
    /// The options from confirm's command line, checked before anything runs: the running revision is
    /// the one <paramref name="cmdlineFile"/> names; <paramref name="greenbootDir"/> empty for none.
    /// </summary>
    public static ConfirmOptions From(string healthDir, string? greenbootDir, double timeoutSeconds, string cmdlineFile, RebootCommand reboot, bool noReboot, bool checkOnly, bool recordOnly)
    {
        if (!(timeoutSeconds > 0))
        {
            throw new BadInputException($"--timeout {timeoutSeconds} must be a positive number of seconds");
        }

        if (checkOnly && recordOnly)
        {
            throw new BadInputException("--check-only and --record-only exclude each other (neither runs both halves)");
        }

        var cmdlineText = BoundedTextFile.ReadIfPresent(cmdlineFile, "kernel command line") ?? string.Empty;
        var project = HealthDirectory.Project(healthDir);
        HealthDirectory[] health = greenbootDir is { Length: > 0 } greenboot ? [project, HealthDirectory.Greenboot(greenboot)] : [project];
        return new ConfirmOptions(health, TimeSpan.FromSeconds(timeoutSeconds), BootArguments.Parse(cmdlineText).RevisionText, reboot, noReboot)
        {
            Step = checkOnly ? ConfirmStep.CheckOnly : recordOnly ? ConfirmStep.RecordOnly : ConfirmStep.CheckAndRecord,
        };
    }
}

/// <summary>
/// The two halves of confirm. systemd's way (greenboot, rauc-mark-good) is to check before
/// boot-complete.target, which requires the check, and to record the verdict after it; the busybox
/// kiosk and an operator run both at once.
/// </summary>
public enum ConfirmStep
{
    /// <summary>Run the checks, then record the verdict (the default).</summary>
    CheckAndRecord,

    /// <summary>Run the checks and leave the result in the result file; the medium is not written.</summary>
    CheckOnly,

    /// <summary>Record the verdict the check left (none, or another trial's, is a failure), then hooks and reboot.</summary>
    RecordOnly,
}
