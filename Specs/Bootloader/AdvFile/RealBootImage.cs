namespace Webc.BootSafe.Specs.Bootloader.AdvFileSpecs;

/// <summary>The bytes of a real ldlinux.sys, made once by <c>extlinux --install</c> on a loop-mounted ext4 image.</summary>
public static class RealBootImage
{
    private static readonly Lazy<byte[]> Bytes = new(() =>
    {
        using var install = ExtlinuxInstall.Create();
        install.Extlinux("--menu-save=good");
        return File.ReadAllBytes(install.BootImage);
    });

    /// <summary>A copy (callers may change it). Only from specs in the machine collection: it mounts.</summary>
    public static byte[] Copy() => Bytes.Value.ToArray();
}
