namespace Webc.BootSafe.Bootloader.Adv;

/// <summary>The ADV record tags syslinux defines (com32/include/syslinux/adv.h); any other tag is kept as is.</summary>
public static class AdvTags
{
    /// <summary>Ends the record list; never a record of its own.</summary>
    public const byte End = 0;

    /// <summary>A command line (label plus extra APPEND words) ldlinux boots once, deleting the record first.</summary>
    public const byte BootOnce = 1;

    /// <summary>The menu entry the vesamenu/menu "MENU SAVE" feature remembers.</summary>
    public const byte MenuSave = 2;
}
