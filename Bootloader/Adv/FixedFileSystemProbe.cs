namespace Webc.BootSafe.Bootloader.Adv;

/// <summary>
/// Answers one file system type for every path: for simulations whose medium is not a real mount
/// (the boot simulator, power-cut replays). Real runs use <see cref="StatfsProbe"/>.
/// </summary>
public sealed record FixedFileSystemProbe(long Type) : IFileSystemProbe
{
    public static FixedFileSystemProbe Ext4 { get; } = new(AdvFileSystems.Ext);

    public long FileSystemType(string path) => Type;
}
