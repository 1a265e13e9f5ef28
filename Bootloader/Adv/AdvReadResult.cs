namespace Webc.BootSafe.Bootloader.Adv;

/// <summary>
/// The ADV as syslinux sees it (copy 0 if valid, else copy 1, else empty) and the state of each copy,
/// so callers can tell a torn write (copy 0 bad) or a wrecked ADV (both bad) from a healthy one.
/// </summary>
public sealed record AdvReadResult(Adv Adv, AdvCopyStatus Copy0, AdvCopyStatus Copy1)
{
    /// <summary>Neither copy is valid: syslinux treats the ADV as empty and <c>extlinux --once</c> refuses to write.</summary>
    public bool BothInvalid => Copy0 == AdvCopyStatus.Invalid && Copy1 == AdvCopyStatus.Invalid;

    /// <summary>The copy <see cref="Adv"/> came from (0 or 1); null when both are invalid.</summary>
    public int? SourceCopy => Copy0 == AdvCopyStatus.Valid ? 0 : Copy1 == AdvCopyStatus.Valid ? 1 : null;
}
