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
