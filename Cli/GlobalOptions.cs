using Webc.BootSafe.Bootloader;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Cli;

/// <summary>Options every command accepts; <see cref="MediumAccess"/> turns `--medium` into a medium.</summary>
/// <param name="fileSystems">The file-system probe (null: the real one, or the simulated medium's when its variable is set).</param>
public sealed class GlobalOptions(IFileSystemProbe? fileSystems = null)
{
    public Option<string> Medium { get; } = new("--medium")
    {
        Description = "The boot medium's mount point (holds live/ and boot/extlinux/)",
        DefaultValueFactory = _ => MediumAccess.DefaultMedium,
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print machine-readable JSON instead of text",
        Recursive = true,
    };

    /// <summary>The medium named by --medium; bad input when it is not a directory.</summary>
    public MediumLayout Layout(ParseResult parse) => MediumAccess.Layout(parse.GetValue(Medium));

    /// <summary>Opens the medium session: the lock, the record loaded once, the bootloader.</summary>
    public MediumSession Open(ParseResult parse, BootEntryOptions? options = null, TimeSpan? lockTimeout = null) =>
        MediumAccess.Open(Layout(parse), fileSystems, options, lockTimeout);

    /// <summary>The medium's bootloader, for commands that only read it or steer boot-once by hand.</summary>
    public MediumBootloader Bootloader(ParseResult parse, BootEntryOptions? options = null) =>
        MediumAccess.Bootloader(Layout(parse), fileSystems, options);

    /// <summary>The probe the specs gave (null: the real one, or the demo's; see <see cref="MediumAccess.FileSystems"/>).</summary>
    public IFileSystemProbe? FileSystems => fileSystems;
}
