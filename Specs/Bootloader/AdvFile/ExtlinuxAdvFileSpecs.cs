using System.Security.Cryptography;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Bootloader.AdvFileSpecs;

/// <summary>Our ADV reader and writer against the real extlinux 6.04 on loop-mounted file systems.</summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class ExtlinuxAdvFileSpecs
{
    [HostTheory("extlinux", "mkfs.ext4")]
    [InlineData("ext4")]
    [InlineData("ext2")]
    public void We_read_what_extlinux_once_wrote_and_extlinux_accepts_what_we_wrote(string fileSystem)
    {
        using var install = ExtlinuxInstall.Create(fileSystem);
        var adv = new ExtlinuxAdvFile(install.InstallDirectory, new PosixMediumStorage());
        install.Extlinux("--once=X");
        var read = adv.Read();
        Assert.Equal("X", read.Adv.BootOnce);
        Assert.Equal((AdvCopyStatus.Valid, AdvCopyStatus.Valid), (read.Copy0, read.Copy1));

        adv.Write(read.Adv.WithBootOnce("Y"));
        Assert.Equal("Y", adv.Read().Adv.BootOnce);

        // extlinux --clear-once refuses to touch an ADV whose copies both fail its checksum check.
        install.Extlinux("--clear-once");
        var cleared = adv.Read();
        Assert.Null(cleared.Adv.BootOnce);
        Assert.Equal(Adv.Empty, cleared.Adv);
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void For_menu_save_plus_once_with_arguments_our_bytes_equal_extlinux_bytes()
    {
        using var install = ExtlinuxInstall.Create();
        install.Extlinux("--menu-save=A");
        install.Extlinux("--once=B extra=1");
        var theirs = install.AdvBytes();
        install.Extlinux("--reset-adv");
        var adv = new ExtlinuxAdvFile(install.InstallDirectory, new PosixMediumStorage());
        Assert.Equal(Adv.Empty, adv.Read().Adv);

        adv.Write(Adv.Empty.WithMenuSave("A").WithBootOnce("B extra=1"));

        Assert.Equal(theirs, install.AdvBytes());
        Assert.Equal(theirs, AdvCodec.Encode(AdvCodec.Decode(theirs).Adv));
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void Setting_once_keeps_menu_save_and_rewrites_in_place_with_the_immutable_flag_restored()
    {
        using var install = ExtlinuxInstall.Create();
        install.Extlinux("--menu-save=good");
        var inodeBefore = install.Inode();
        Assert.Contains('i', install.Attributes());
        var adv = new ExtlinuxAdvFile(install.InstallDirectory, new PosixMediumStorage());

        var written = adv.Update(a => a.WithBootOnce("trial bootsafe.trial=1"));

        Assert.Equal("good", adv.Read().Adv.MenuSave);
        Assert.Equal("trial bootsafe.trial=1", written.BootOnce);
        Assert.Equal(inodeBefore, install.Inode());
        Assert.Contains('i', install.Attributes());
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void Our_write_lands_in_the_sectors_the_boot_code_addresses()
    {
        using var install = ExtlinuxInstall.Create();
        var adv = new ExtlinuxAdvFile(install.InstallDirectory, new PosixMediumStorage());
        adv.Write(Adv.Empty.WithBootOnce("trial"));
        var image = ExtlinuxBootImage.Parse(File.ReadAllBytes(install.BootImage), install.BootImage);

        var onDisk = install.Sector(image.AdvSector0).Concat(install.Sector(image.AdvSector1)).ToArray();

        Assert.Equal(AdvCodec.Encode(Adv.Empty.WithBootOnce("trial")), onDisk);
        Assert.Equal(image.AdvSector0 + 1, image.AdvSector1);
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void Both_copies_corrupt_is_a_clear_error_and_nothing_is_written()
    {
        using var install = ExtlinuxInstall.Create();
        install.Extlinux("--once=B");
        Corrupt(install.BootImage, -1024 + 20);
        Corrupt(install.BootImage, -512 + 20);
        var before = SHA256.HashData(File.ReadAllBytes(install.BootImage));
        var adv = new ExtlinuxAdvFile(install.InstallDirectory, new PosixMediumStorage());
        Assert.True(adv.Read().BothInvalid);

        var e = Assert.Throws<OperationFailedException>(() => adv.Write(Adv.Empty.WithBootOnce("trial")));

        Assert.Contains("both ADV copies", e.Message);
        Assert.Contains(install.BootImage, e.Message);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(install.BootImage)));
        Assert.Contains('i', install.Attributes());
        // The real extlinux agrees the ADV is unusable.
        Assert.NotEqual(0, install.TryExtlinux("--once=B").ExitCode);
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void A_torn_copy_0_reads_as_copy_1_like_extlinux_and_a_write_repairs_both()
    {
        using var install = ExtlinuxInstall.Create();
        install.Extlinux("--once=B");
        Corrupt(install.BootImage, -1024 + 20);
        var adv = new ExtlinuxAdvFile(install.InstallDirectory, new PosixMediumStorage());
        var read = adv.Read();
        Assert.Equal((AdvCopyStatus.Invalid, AdvCopyStatus.Valid, "B"), (read.Copy0, read.Copy1, read.Adv.BootOnce));

        adv.Write(read.Adv.WithBootOnce("C"));

        Assert.Equal((AdvCopyStatus.Valid, AdvCopyStatus.Valid, "C"), (adv.Read().Copy0, adv.Read().Copy1, adv.Read().Adv.BootOnce));
        install.Extlinux("--clear-once");
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void On_a_read_only_mount_the_write_fails_clearly_and_changes_nothing()
    {
        using var install = ExtlinuxInstall.Create();
        install.Extlinux("--once=B");
        var before = install.AdvBytes();
        install.Remount("ro");
        var adv = new ExtlinuxAdvFile(install.InstallDirectory, new PosixMediumStorage());

        var e = Assert.Throws<OperationFailedException>(() => adv.Write(Adv.Empty.WithBootOnce("trial")));

        Assert.Contains(install.BootImage, e.Message);
        Assert.Equal(before, install.AdvBytes());
        Assert.Equal("B", adv.Read().Adv.BootOnce);
        install.Remount("rw");
        Assert.Contains('i', install.Attributes());
    }

    // chattr, not our storage: the corruption must not depend on the code under test.
    private static void Corrupt(string bootImage, int fromEnd)
    {
        Lab.Run.Command("chattr", "-i", bootImage);
        using (var file = new FileStream(bootImage, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Seek(fromEnd, SeekOrigin.End);
            var b = file.ReadByte();
            file.Seek(-1, SeekOrigin.Current);
            file.WriteByte((byte)(b ^ 0xff));
        }

        Lab.Run.Command("chattr", "+i", bootImage);
    }
}
