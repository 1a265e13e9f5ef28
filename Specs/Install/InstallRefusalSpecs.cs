using System.Security.Cryptography;
using Webc.BootSafe.Provision;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.Specs.Install.Support;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Specs.Install;

/// <summary>Each refusal names its input or step and leaves no image file (or an untouched target) behind.</summary>
[Collection(MachineCollection.Name)]
public sealed class InstallRefusalSpecs(InstallWorld world) : IClassFixture<InstallWorld>
{
    [Fact]
    public void An_unsigned_revision_is_refused_when_signatures_are_required()
    {
        using var dir = new TempDirectory("bootsafe-refuse-unsigned");
        var upstream = new Upstream(dir.Combine("upstream"));
        var tip = upstream.Commit("unsigned", null, Signing.None);
        var image = dir.Combine("medium.img");

        var e = Assert.Throws<OperationFailedException>(
            () => InstallWorld.Install(new InstallOptions(image, upstream.Path, "master", "64M", world.SignedConfig(dir))));

        Assert.IsType<VerificationFailedException>(e.InnerException);
        Assert.StartsWith("verify failed:", e.Message);
        Assert.Contains($"commit {tip} is not signed", e.Message);
        Assert.False(File.Exists(image));
    }

    [Fact]
    public void A_revision_signed_by_an_untrusted_key_is_refused()
    {
        using var dir = new TempDirectory("bootsafe-refuse-stranger");
        var stranger = new Signers(dir.Combine("stranger"), "stranger");
        var upstream = new Upstream(dir.Combine("upstream"));
        upstream.Commit("stranger's", stranger, Signing.Ssh);
        var image = dir.Combine("medium.img");

        var e = Assert.Throws<OperationFailedException>(
            () => InstallWorld.Install(new InstallOptions(image, upstream.Path, "master", "64M", world.SignedConfig(dir))));

        Assert.StartsWith("verify failed:", e.Message);
        Assert.False(File.Exists(image));
    }

    [Fact]
    public void A_revision_without_a_kernel_is_refused()
    {
        using var dir = new TempDirectory("bootsafe-refuse-nokernel");
        var upstream = new Upstream(dir.Combine("upstream"));
        var tip = upstream.Commit("no kernel", world.Publisher, Signing.Ssh, withKernel: false);
        var image = dir.Combine("medium.img");

        var e = Assert.Throws<OperationFailedException>(
            () => InstallWorld.Install(new InstallOptions(image, upstream.Path, tip, "64M", world.SignedConfig(dir))));

        Assert.Contains("no boot/ directory", e.Message);
        Assert.False(File.Exists(image));
    }

    [Fact]
    public void A_size_too_small_for_the_repository_is_refused_before_anything_is_created()
    {
        using var dir = new TempDirectory("bootsafe-refuse-small");
        var upstream = new Upstream(dir.Combine("upstream"));
        Directory.CreateDirectory(Path.Combine(upstream.Path, "boot"));
        File.WriteAllBytes(Path.Combine(upstream.Path, "boot", "vmlinuz-6.1.0-9-amd64"), RandomNumberGenerator.GetBytes(6 << 20));
        upstream.Commit("big kernel", world.Publisher, Signing.Ssh, new Dictionary<string, string?> { ["boot/initrd.img-6.1.0-9-amd64"] = "initrd" }, withKernel: false);
        var image = dir.Combine("medium.img");

        var e = Assert.Throws<BadInputException>(
            () => InstallWorld.Install(new InstallOptions(image, upstream.Path, "master", "16M", world.SignedConfig(dir))));

        Assert.Contains("--size 16M", e.Message);
        Assert.Contains("too small", e.Message);
        Assert.False(File.Exists(image));
    }

    [Trait(Tier.Name, Tier.Host)]
    [HostFact("sfdisk", "mkfs.ext4", "extlinux", "losetup")]
    public void A_mounted_device_and_an_image_attached_to_a_loop_device_are_refused()
    {
        using var dir = new TempDirectory("bootsafe-refuse-mounted");
        var upstream = new Upstream(dir.Combine("upstream"));
        upstream.Commit("only", world.Publisher, Signing.Ssh);
        var image = dir.Combine("busy.img");
        Proc.Run("truncate", ["-s", "32M", image]);
        Proc.Run("mkfs.ext4", ["-q", "-F", image]);
        var mountPoint = dir.Combine("mnt");
        Directory.CreateDirectory(mountPoint);
        var loop = Proc.Run("losetup", ["-f", "--show", image]);
        var mounted = false;
        try
        {
            Proc.Run("mount", [loop, mountPoint]);
            mounted = true;

            var device = Assert.Throws<BadInputException>(
                () => InstallWorld.Install(new InstallOptions(loop, upstream.Path, "master", Config: world.SignedConfig(dir), Yes: true)));
            Assert.Contains($"is mounted at {mountPoint}", device.Message);

            var file = Assert.Throws<BadInputException>(
                () => InstallWorld.Install(new InstallOptions(image, upstream.Path, "master", Config: world.SignedConfig(dir), Yes: true)));
            Assert.Contains($"attached to {loop}", file.Message);
        }
        finally
        {
            if (mounted)
            {
                Proc.Run("umount", [mountPoint]);
            }

            Proc.Run("losetup", ["-d", loop]);
        }

        // Mounting rewrites the superblock's times, so compare what an install would have changed:
        // ext4 leaves the first 1024 bytes zero (an MBR would be there), and the file system is intact.
        Assert.All(File.ReadAllBytes(image)[..1024], b => Assert.Equal(0, b));
        Assert.Contains("clean", Proc.Run("dumpe2fs", ["-h", image]));
    }

    [Trait(Tier.Name, Tier.Host)]
    [HostFact("sfdisk", "mkfs.ext4", "extlinux", "losetup")]
    public void A_partition_and_the_running_systems_disk_are_refused()
    {
        var mounts = MountTable.Read();
        foreach (var disk in TargetSafety.SystemDisks(mounts))
        {
            var e = Assert.Throws<BadInputException>(() => TargetSafety.Check(InstallTarget.Inspect("/dev/" + disk), mounts));
            Assert.Contains("/dev/" + disk, e.Message);
        }

        using var dir = new TempDirectory("bootsafe-refuse-partition");
        var image = dir.Combine("parted.img");
        Proc.Run("truncate", ["-s", "8M", image]);
        Proc.Run("sfdisk", ["-q", image], stdin: "label: dos\nstart=2048, type=83\n");
        var loop = Proc.Run("losetup", ["-f", "--show", "-P", image]);
        try
        {
            if (!File.Exists(loop + "p1"))
            {
                Proc.Run("partx", ["-a", loop]);
            }

            for (var i = 0; i < 50 && !File.Exists(loop + "p1"); i++)
            {
                Thread.Sleep(100);
            }

            var e = Assert.Throws<BadInputException>(() => InstallTarget.Inspect(loop + "p1"));
            Assert.Contains("give the whole disk", e.Message);
        }
        finally
        {
            Proc.Run("losetup", ["-d", loop]);
        }
    }

    [Fact]
    public void Bad_inputs_name_the_option()
    {
        using var dir = new TempDirectory("bootsafe-refuse-input");
        var image = dir.Combine("x.img");
        Assert.Contains("--repo", Assert.Throws<BadInputException>(() => InstallWorld.Install(new InstallOptions(image, dir.Combine("missing"), "master", "32M"))).Message);
        Assert.Contains("--size", Assert.Throws<BadInputException>(() => InstallWorld.Install(new InstallOptions(image, dir.Path, "master"))).Message);
        Assert.Contains("--size", Assert.Throws<BadInputException>(() => InstallWorld.Install(new InstallOptions(image, dir.Path, "master", "12Q"))).Message);
        Assert.Contains("--target", Assert.Throws<BadInputException>(() => InstallWorld.Install(new InstallOptions(dir.Path, dir.Path, "master", "32M"))).Message);
        Assert.Contains("--config", Assert.Throws<BadInputException>(() => InstallWorld.Install(new InstallOptions(image, dir.Path, "master", "32M", dir.Combine("none.yaml")))).Message);
        Assert.False(File.Exists(image));
    }
}
