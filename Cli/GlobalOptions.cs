using Webc.BootSafe.Bootloader;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Cli;

/// <summary>Options every command accepts, and the one place `--medium` becomes a medium.</summary>
/// <param name="fileSystems">The file-system probe (null: the real one, or the simulated medium's when its variable is set).</param>
public sealed class GlobalOptions(IFileSystemProbe? fileSystems = null)
{
    public const string DefaultMedium = "/lib/live/mount/medium";

    /// <summary>Set to 1 on a medium that is a plain directory, not a mounted extlinux partition (the demo).</summary>
    public const string SimulatedMediumVariable = "WEBC_BOOTSAFE_SIMULATED_MEDIUM";

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

    /// <summary>The medium named by --medium; bad input when it is not a directory.</summary>
    public MediumLayout Layout(ParseResult parse) => Layout(parse.GetValue(Medium));

    /// <summary>The medium at <paramref name="medium"/>; bad input when it is not a directory.</summary>
    public static MediumLayout Layout(string? medium)
    {
        if (string.IsNullOrEmpty(medium) || !Directory.Exists(medium))
        {
            throw new BadInputException($"--medium {medium} is not a directory");
        }

        return new MediumLayout(Path.GetFullPath(medium));
    }

    /// <summary>Opens the medium session: the lock, the record loaded once, the bootloader.</summary>
    public MediumSession Open(ParseResult parse, BootEntryOptions? options = null, TimeSpan? lockTimeout = null) =>
        Open(Layout(parse), options, lockTimeout);

    /// <summary>Opens the medium session on a layout already checked (select's fast path has no parse).</summary>
    public MediumSession Open(MediumLayout layout, BootEntryOptions? options = null, TimeSpan? lockTimeout = null) =>
        MediumSession.Open(layout, new PosixMediumStorage(), lockTimeout, options, FileSystems);

    /// <summary>The medium's bootloader, for commands that only read it or steer boot-once by hand.</summary>
    public MediumBootloader Bootloader(ParseResult parse, BootEntryOptions? options = null) =>
        new(Layout(parse), new PosixMediumStorage(), options, FileSystems);

    /// <summary>The demo's medium is a plain directory: its ADV is treated as on ext4.</summary>
    public IFileSystemProbe? FileSystems =>
        fileSystems ?? (Environment.GetEnvironmentVariable(SimulatedMediumVariable) == "1" ? FixedFileSystemProbe.Ext4 : null);
}
