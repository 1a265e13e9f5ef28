using Webc.BootSafe.Specs.Lab;

namespace Webc.BootSafe.Specs.Bootloader.AdvFileSpecs;

/// <summary>
/// A small file system image made here, loop-mounted, with the real <c>extlinux --install</c> in
/// /boot/extlinux; the real extlinux is the peer our ADV reader and writer are checked against.
/// </summary>
public sealed class ExtlinuxInstall : IDisposable
{
    private readonly TempDirectory work;
    private readonly LoopMount mount;

    private ExtlinuxInstall(TempDirectory work, LoopMount mount)
    {
        this.work = work;
        this.mount = mount;
        Directory.CreateDirectory(InstallDirectory);
        Extlinux("--install");
    }

    public string Image => work.Combine("fs.img");

    public string InstallDirectory => mount.Combine("boot", "extlinux");

    public string BootImage => Path.Combine(InstallDirectory, "ldlinux.sys");

    /// <summary>mkfs.ext4 (Debian 12 defaults) or mkfs.ext2 on a 32 MiB image (this lab's kernel has no vfat).</summary>
    public static ExtlinuxInstall Create(string fileSystem = "ext4")
    {
        var work = new TempDirectory("bootsafe-adv");
        try
        {
            var image = work.Combine("fs.img");
            using (var file = File.Create(image))
            {
                file.SetLength(32L << 20);
            }

            _ = fileSystem switch
            {
                "ext4" => Run.Command("mkfs.ext4", "-q", "-F", "-O", "^inline_data", image),
                "ext2" => Run.Command("mkfs.ext2", "-q", "-F", image),
                _ => throw new ArgumentException(fileSystem),
            };
            return new ExtlinuxInstall(work, LoopMount.FileSystem(image));
        }
        catch
        {
            work.Dispose();
            throw;
        }
    }

    /// <summary>Runs the real extlinux on the install directory; throws when it fails.</summary>
    public string Extlinux(params string[] options) => Run.Command("extlinux", [.. options, InstallDirectory]);

    public CommandResult TryExtlinux(params string[] options) => Run.Try("extlinux", [.. options, InstallDirectory]);

    public void Remount(string mode) => Run.Command("mount", "-o", "remount," + mode, mount.Root);

    public byte[] AdvBytes() => File.ReadAllBytes(BootImage)[^1024..];

    public string Attributes() => Run.Command("lsattr", "-d", BootImage).Split(' ')[0];

    public string Inode() => Run.Command("stat", "-c", "%i %s", BootImage).Trim();

    /// <summary>The two 512-byte sectors at <paramref name="lba"/> on the file system's block device, read from the image file after a sync.</summary>
    public byte[] Sector(ulong lba)
    {
        Run.Command("sync");
        using var image = File.OpenHandle(Image);
        var sector = new byte[512];
        RandomAccess.Read(image, sector, checked((long)lba * 512));
        return sector;
    }

    public void Dispose()
    {
        try
        {
            mount.Dispose();
        }
        finally
        {
            work.Dispose();
        }
    }
}
