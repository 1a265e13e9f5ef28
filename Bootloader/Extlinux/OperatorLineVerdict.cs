namespace Webc.BootSafe.Bootloader.Extlinux;

/// <summary>What BootSafe does with one operator line of extlinux.conf (docs/operator-guide.md has the table).</summary>
public enum OperatorLineVerdict
{
    /// <summary>Does not change what boots by default or by boot-once: written back as it is.</summary>
    Kept,

    /// <summary>Would change what boots: written back commented out with <see cref="ExtlinuxConfigDocument.DisabledPrefix"/>.</summary>
    Neutralised,

    /// <summary>Cannot be made harmless by commenting it out: stage and bootloader sync refuse (exit 2) until the operator removes it.</summary>
    Refused,
}
