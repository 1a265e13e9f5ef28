namespace Webc.BootSafe.Cli.BootPath;

/// <summary>Exit codes of the boot-path commands beyond <see cref="ExitCodes"/>; the initramfs script and units branch on them.</summary>
public static class BootPathExitCodes
{
    /// <summary>
    /// select: the booted kernel must not run (its trial is spent, or a failed revision came up);
    /// boot-once is disarmed, so reboot now (<c>reboot -f</c>) and known-good comes up. The printed
    /// revision is known-good, for a script that ignores this code.
    /// </summary>
    public const int RebootRequested = 3;

    /// <summary>confirm: a required health check failed; the trial is rolled back.</summary>
    public const int HealthFailed = 4;
}
