namespace Webc.BootSafe.Cli.Health;

/// <summary>What <c>confirm</c> was asked to do.</summary>
public sealed record ConfirmOptions(
    HealthDirectory Health,
    TimeSpan ScriptTimeout,
    string? RunningRevisionText,
    RebootCommand Reboot,
    bool NoReboot);
