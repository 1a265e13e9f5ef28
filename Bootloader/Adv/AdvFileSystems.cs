using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Bootloader.Adv;

/// <summary>
/// The file systems whose extlinux ADV is the last 1024 bytes of ldlinux.sys and that BootSafe has
/// tested (ext2/3/4, vfat), and clear refusals for the rest (statfs f_type magics from linux/magic.h).
/// </summary>
public static class AdvFileSystems
{
    public const long Ext = 0xEF53;
    public const long Msdos = 0x4d44;
    public const long Btrfs = 0x9123683E;
    public const long Xfs = 0x58465342;

    public static string Name(long type) => type switch
    {
        Ext => "ext2/ext3/ext4",
        Msdos => "vfat",
        Btrfs => "btrfs",
        Xfs => "xfs",
        0x01021994 => "tmpfs",
        0x794c7630 => "overlayfs",
        0x5346544e => "ntfs",
        0x7366746e => "ntfs3",
        0x2011BAB0 => "exfat",
        0xF2F52010 => "f2fs",
        0x73717368 => "squashfs",
        0x9660 => "iso9660",
        0x65735546 => "fuse",
        _ => $"file system type 0x{type:x}",
    };

    /// <summary>Throws <see cref="BadInputException"/> naming the file system unless the ADV can be written in ldlinux.sys there.</summary>
    public static void RequireSupported(string installDirectory, long type)
    {
        var why = type switch
        {
            Ext or Msdos => null,
            Btrfs => "on btrfs extlinux keeps the ADV at a raw device offset (64512), not in ldlinux.sys",
            Xfs => "extlinux 6.04's ADV handling on xfs is broken (extlinux --once fails there)",
            _ => "extlinux boot-once is supported by BootSafe on ext2/ext3/ext4 and vfat only",
        };
        if (why is not null)
        {
            throw new BadInputException($"extlinux install directory {installDirectory} is on {Name(type)}: {why}");
        }
    }
}
