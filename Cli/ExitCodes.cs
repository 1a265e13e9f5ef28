namespace Webc.BootSafe.Cli;

/// <summary>The process exit codes; scripts in the initramfs and systemd units branch on these.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
}
