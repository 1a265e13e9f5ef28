using System.CommandLine;

namespace Webc.BootSafe.Cli;

/// <summary>Options every command accepts.</summary>
public sealed class GlobalOptions
{
    public const string DefaultMedium = "/lib/live/mount/medium";

    public Option<string> Medium { get; } = new("--medium")
    {
        Description = "The boot medium's mount point (holds live/ and boot/extlinux/)",
        DefaultValueFactory = _ => DefaultMedium,
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print machine-readable JSON instead of text",
        Recursive = true,
    };
}
