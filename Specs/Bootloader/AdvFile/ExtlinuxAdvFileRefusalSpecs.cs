using System.Security.Cryptography;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Bootloader.AdvFileSpecs;

/// <summary>What the ADV writer refuses, with a message naming the input, and without writing.</summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class ExtlinuxAdvFileRefusalSpecs
{
    [HostTheory("extlinux", "mkfs.ext4")]
    [InlineData(AdvFileSystems.Btrfs, "btrfs")]
    [InlineData(AdvFileSystems.Xfs, "xfs")]
    [InlineData(0x01021994, "tmpfs")]
    public void File_systems_where_the_adv_is_elsewhere_or_broken_are_refused_by_name(long type, string name)
    {
        using var dir = InstallCopy();
        var file = new ExtlinuxAdvFile(dir.Path, new PosixMediumStorage(), new FixedFileSystemProbe(type));

        var e = Assert.Throws<BadInputException>(() => file.Write(Adv.Empty.WithBootOnce("trial")));

        Assert.Contains(name, e.Message);
        Assert.Contains(dir.Path, e.Message);
        Assert.Equal(RealBootImage.Copy(), File.ReadAllBytes(file.BootImagePath));
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void The_real_statfs_names_tmpfs()
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("bootsafe-adv-");
        var shm = Path.Combine("/dev/shm", Path.GetFileName(dir.FullName));
        System.IO.Directory.CreateDirectory(shm);
        try
        {
            File.WriteAllBytes(Path.Combine(shm, "ldlinux.sys"), RealBootImage.Copy());
            var e = Assert.Throws<BadInputException>(() => new ExtlinuxAdvFile(shm, new PosixMediumStorage()).Read());
            Assert.Contains("is on tmpfs", e.Message);
            Assert.Equal(AdvFileSystems.Ext, StatfsProbe.Instance.FileSystemType(dir.FullName));
        }
        finally
        {
            System.IO.Directory.Delete(shm, recursive: true);
            dir.Delete(recursive: true);
        }
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void A_missing_boot_image_is_refused_naming_the_directory()
    {
        using var dir = new TempDirectory("bootsafe-adv");
        var e = Assert.Throws<BadInputException>(() => new ExtlinuxAdvFile(dir.Path, new PosixMediumStorage()).Read());
        Assert.Contains(dir.Path, e.Message);
        Assert.Contains("ldlinux.sys", e.Message);
    }

    [HostTheory("extlinux", "mkfs.ext4")]
    [InlineData(100, "checksum")]          // a changed byte inside the boot code
    [InlineData(24, "patch area")]         // the patch area magic
    [InlineData(-1, "512-byte sectors")]   // truncated by one byte
    public void A_file_that_is_not_an_installed_boot_image_is_refused(int at, string reason)
    {
        using var dir = InstallCopy(bytes => at < 0 ? bytes[..^1] : Flip(bytes, at));
        var file = new ExtlinuxAdvFile(dir.Path, new PosixMediumStorage());
        var before = SHA256.HashData(File.ReadAllBytes(file.BootImagePath));

        var e = Assert.Throws<BadInputException>(() => file.Write(Adv.Empty.WithBootOnce("trial")));

        Assert.Contains("not an installed extlinux boot image", e.Message);
        Assert.Contains(reason, e.Message);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(file.BootImagePath)));
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void The_legacy_extlinux_sys_name_is_used_when_ldlinux_sys_is_absent()
    {
        using var dir = new TempDirectory("bootsafe-adv");
        File.WriteAllBytes(dir.Combine("extlinux.sys"), RealBootImage.Copy());
        var file = new ExtlinuxAdvFile(dir.Path, new PosixMediumStorage());

        file.Update(a => a.WithBootOnce("trial"));

        Assert.Equal(dir.Combine("extlinux.sys"), file.BootImagePath);
        Assert.Equal("trial", file.Read().Adv.BootOnce);
        Assert.Equal("good", file.Read().Adv.MenuSave);
    }

    private static TempDirectory InstallCopy(Func<byte[], byte[]>? change = null)
    {
        var dir = new TempDirectory("bootsafe-adv");
        var bytes = RealBootImage.Copy();
        File.WriteAllBytes(dir.Combine("ldlinux.sys"), change is null ? bytes : change(bytes));
        return dir;
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        bytes[at] ^= 0x01;
        return bytes;
    }
}
