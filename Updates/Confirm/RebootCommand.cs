using System.Diagnostics;

namespace Webc.BootSafe.Updates.Confirm;

/// <summary>
/// How the running system reboots into known-good: a shell command, by default
/// <c>systemctl reboot</c>. Configurable (option or <see cref="EnvironmentVariable"/>) so a spec can
/// watch the request without rebooting the machine it runs on.
/// </summary>
public sealed record RebootCommand(string CommandLine)
{
    public const string Default = "systemctl reboot";
    public const string EnvironmentVariable = "WEBC_BOOTSAFE_REBOOT_COMMAND";

    public static RebootCommand From(string? option) =>
        new(option is { Length: > 0 } ? option
            : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : Default);

    /// <summary>Runs the command with the reason in <c>BOOTSAFE_REASON</c>; returns its exit code.</summary>
    public int Run(string reason)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(CommandLine);
        start.Environment["BOOTSAFE_REASON"] = reason;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("/bin/sh did not start");
        process.WaitForExit();
        return process.ExitCode;
    }
}
