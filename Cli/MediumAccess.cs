using Webc.BootSafe.Bootloader;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Cli;

/// <summary>
/// The one place a <c>--medium</c> value becomes a medium, without the command tree: both executables
/// (webc-bootsafe and the boot path's webc-bootsafe-select) open it here.
/// </summary>
public static class MediumAccess
{
    public const string DefaultMedium = "/lib/live/mount/medium";

    /// <summary>Set to 1 on a medium that is a plain directory, not a mounted extlinux partition (the demo).</summary>
    public const string SimulatedMediumVariable = "WEBC_BOOTSAFE_SIMULATED_MEDIUM";

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
    public static MediumSession Open(MediumLayout layout, IFileSystemProbe? fileSystems, BootEntryOptions? options = null, TimeSpan? lockTimeout = null) =>
        MediumSession.Open(layout, new PosixMediumStorage(), lockTimeout, options, FileSystems(fileSystems));

    /// <summary>The session a boot's select opens: no repository, no refs (<see cref="MediumSession.OpenForBoot"/>).</summary>
    public static MediumSession OpenForBoot(MediumLayout layout, IFileSystemProbe? fileSystems) =>
        MediumSession.OpenForBoot(layout, new PosixMediumStorage(), FileSystems(fileSystems));

    /// <summary>The medium's bootloader, for commands that only read it or steer boot-once by hand.</summary>
    public static MediumBootloader Bootloader(MediumLayout layout, IFileSystemProbe? fileSystems, BootEntryOptions? options = null) =>
        new(layout, new PosixMediumStorage(), options, FileSystems(fileSystems));

    /// <summary>The given probe, or the demo's: its medium is a plain directory whose ADV is treated as on ext4.</summary>
    public static IFileSystemProbe? FileSystems(IFileSystemProbe? given) =>
        given ?? (Environment.GetEnvironmentVariable(SimulatedMediumVariable) == "1" ? FixedFileSystemProbe.Ext4 : null);
}
