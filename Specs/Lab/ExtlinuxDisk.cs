namespace Webc.BootSafe.Specs.Lab;

/// <summary>
/// A BIOS disk image (lab/make-extlinux-disk.sh): MBR, one bootable ext4 partition with a payload
/// copied to its root and extlinux installed in /boot/extlinux. Mount it to change files between boots.
/// </summary>
public sealed record ExtlinuxDisk(string Image)
{
    public const string InstallDirectory = "boot/extlinux";

    public static ExtlinuxDisk Build(string image, string payloadDirectory, int sizeMiB = 96)
    {
        Run.LabScript("make-extlinux-disk.sh", image, sizeMiB.ToString(System.Globalization.CultureInfo.InvariantCulture), payloadDirectory);
        return new ExtlinuxDisk(image);
    }

    public LoopMount Mount() => LoopMount.Disk(Image);
}
