using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Bootloader.Extlinux;

/// <summary>
/// How extlinux.conf names a revision's files: absolute on the boot partition, which is the medium
/// root (<see cref="StateMachine.Ports.MediumLayout.KernelFile"/> is the same file seen from Linux).
/// </summary>
public static class KernelPaths
{
    public static string Kernel(Revision revision) => "/live/vmlinuz-" + revision.Sha;

    public static string Initrd(Revision revision) => "/live/initrd-" + revision.Sha;

    /// <summary>The file a configuration path names, below the medium's mount point.</summary>
    public static string OnMedium(string mediumRoot, string configPath) =>
        Path.Combine(mediumRoot, configPath.TrimStart('/'));
}
