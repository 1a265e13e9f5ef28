using Webc.BootSafe.Fetch.Params;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>Option declarations that commands share or that carry a default, one line each.</summary>
internal static class Options
{
    public static Option<T> Of<T>(string name, string description, T defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    /// <summary>--cmdline FILE: where the kernel command line is read (default /proc/cmdline).</summary>
    public static Option<string> Cmdline(string description = "Read the kernel command line from FILE instead of /proc/cmdline") =>
        Of("--cmdline", description, BootParameterReader.ProcCmdline);

    /// <summary>--machine-id-file: the machine id that places this kiosk in a rollout wave (fetch, update).</summary>
    public static Option<string> MachineIdFile() =>
        Of("--machine-id-file", "Read the machine id (the kiosk's rollout bucket) from FILE", Updates.Fleet.RolloutGate.DefaultMachineIdFile);

    /// <summary>--reboot-command, for the commands that may have to reboot into known-good.</summary>
    public static Option<string?> RebootCommand() => new("--reboot-command")
    {
        Description = $"Shell command that reboots into known-good (default: ${Updates.Confirm.RebootCommand.EnvironmentVariable}, else '{Updates.Confirm.RebootCommand.Default}')",
    };
}
