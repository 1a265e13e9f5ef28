namespace Webc.BootSafe.Updates.Confirm;

/// <summary>What <c>confirm</c> was asked to do.</summary>
public sealed record ConfirmOptions(
    HealthDirectory Health,
    TimeSpan ScriptTimeout,
    string? RunningRevisionText,
    RebootCommand Reboot,
    bool NoReboot)
{
    /// <summary>Judge even when the health directory or its required.d is missing (a verdict with no check behind it).</summary>
    public bool AllowNoChecks { get; init; }
}
