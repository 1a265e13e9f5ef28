namespace Webc.BootSafe.Cli;

/// <summary>
/// Every exit code of webc-bootsafe, in one place; the initramfs script and the units branch on them.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The operation failed; the medium is unchanged or left consistent.</summary>
    public const int Failed = 1;

    /// <summary>Bad input or usage; nothing was written.</summary>
    public const int BadInput = 2;

    /// <summary>
    /// select: the booted kernel must not run (its trial is spent, or a failed revision came up);
    /// boot-once is disarmed, so reboot now (<c>reboot -f</c>) and known-good comes up. The printed
    /// revision is known-good, for a script that ignores this code. update --now: a trial is staged and
    /// the reboot command was run to boot it.
    /// </summary>
    public const int RebootRequested = 3;

    /// <summary>confirm: a required health check failed; the trial is rolled back.</summary>
    public const int HealthFailed = 4;
}
