namespace Webc.BootSafe.Bootloader.Adv;

/// <summary>Whether one 512-byte ADV copy has both magics and the checksum syslinux requires.</summary>
public enum AdvCopyStatus
{
    Valid,
    Invalid,
}
