using System.CommandLine;
using Webc.BootSafe.Updates.Confirm;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>--reboot-command, shared by the commands that may have to reboot into known-good.</summary>
internal static class RebootOption
{
    public static Option<string?> Create() => new("--reboot-command")
    {
        Description = $"Shell command that reboots into known-good (default: ${RebootCommand.EnvironmentVariable}, else '{RebootCommand.Default}')",
    };
}
