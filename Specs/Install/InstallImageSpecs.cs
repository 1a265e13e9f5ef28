using System.Security.Cryptography;
using System.Text.Json;
using LibGit2Sharp;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Bootloader.Kernels;
using Webc.BootSafe.Provision;
using Webc.BootSafe.Fetch.Git;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.Specs.Install.Support;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Install;

/// <summary>Installs into image files (and a loop device) with the real tools and reads the result back with others.</summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class InstallImageSpecs(InstallWorld world) : IClassFixture<InstallWorld>
{
    [HostFact("sfdisk", "mkfs.ext4", "extlinux", "losetup")]
    public void An_image_gets_an_MBR_a_bootable_ext4_partition_extlinux_the_repository_and_a_Stable_state()
    {
        using var dir = new TempDirectory("bootsafe-install");
        var upstream = new Upstream(dir.Combine("upstream"));
        var first = upstream.Commit("first", world.Publisher, Signing.Ssh);
        var second = upstream.Commit("second", world.Publisher, Signing.Ssh);
        var image = dir.Combine("medium.img");

        var (result, output) = InstallWorld.Install(new InstallOptions(image, upstream.Path, "master", "64M", world.SignedConfig(dir)));

        Assert.True(result.Written, output);
        Assert.Equal(64L << 20, new FileInfo(image).Length);
        var table = JsonDocument.Parse(Proc.Run("sfdisk", ["--json", image])).RootElement.GetProperty("partitiontable");
        Assert.Equal("dos", table.GetProperty("label").GetString());
        var partition = Assert.Single(table.GetProperty("partitions").EnumerateArray());
        Assert.Equal(2048, partition.GetProperty("start").GetInt64());
        Assert.Equal("83", partition.GetProperty("type").GetString());
        Assert.True(partition.GetProperty("bootable").GetBoolean());
        Assert.Equal(File.ReadAllBytes(DiskImage.MbrCode)[..DiskImage.BootCodeLength], File.ReadAllBytes(image)[..DiskImage.BootCodeLength]);

        using var medium = new InstalledImage(image);
        var features = Proc.Run("dumpe2fs", ["-h", medium.Partition]).Split('\n').First(l => l.StartsWith("Filesystem features:", StringComparison.Ordinal));
        Assert.Contains("extent", features);
        Assert.DoesNotContain("inline_data", features);
        var layout = medium.Layout;
        var storage = new PosixMediumStorage();

        Assert.True(File.Exists(Path.Combine(layout.ExtlinuxDirectory, "ldlinux.sys")));
        Assert.True(File.Exists(Path.Combine(layout.ExtlinuxDirectory, "ldlinux.c32")));
        var adv = new ExtlinuxAdvFile(layout.ExtlinuxDirectory, storage).Read();
        Assert.Equal(AdvCopyStatus.Valid, adv.Copy0);
        Assert.Null(adv.Adv.BootOnce);

        var revision = Revision.Parse(second);
        var record = new YamlSlotStore(storage, layout).Load().Record;
        Assert.Equal(SlotState.Stable, record.State);
        Assert.Equal(revision, record.KnownGood);

        var config = new ExtlinuxConfigFile(layout, storage).Read();
        Assert.Equal("good", config.Default);
        Assert.Equal(second, config.Find("good")!.Parameter("git-revision"));
        Assert.True(new KernelFiles(layout, storage).Exist(revision));
        Assert.Equal("kernel second", File.ReadAllText(layout.KernelFile(revision)));
        Assert.Equal("initrd second", File.ReadAllText(layout.InitrdFile(revision)));

        // The repository is a full clone, known-good pinned, and verifies as Fetch would verify it.
        Assert.Equal("false", Proc.Run("git", ["rev-parse", "--is-shallow-repository"], layout.Repository));
        Assert.Equal("commit", Proc.Run("git", ["cat-file", "-t", first], layout.Repository));
        Assert.Equal(second, Proc.Run("git", ["rev-parse", KeptRefs.KnownGood], layout.Repository));
        var parameters = BootParameterReader.Read(layout, dir.Combine("no-cmdline"));
        Assert.Equal(upstream.Path, parameters.Remote);
        Assert.Equal("master", parameters.FetchRevision);
        Assert.True(parameters.RequireSignature);
        using var repository = new Repository(layout.Repository);
        Assert.StartsWith("ssh:", CommitSignature.Check(repository, new ObjectId(second), TrustedKeys.Load(parameters), allowUnsigned: false));
    }

    [HostFact("sfdisk", "mkfs.ext4", "extlinux", "losetup")]
    public void A_loop_device_target_needs_yes_and_then_gets_the_same_medium()
    {
        using var dir = new TempDirectory("bootsafe-install-dev");
        var upstream = new Upstream(dir.Combine("upstream"));
        var tip = upstream.Commit("only", world.Publisher, Signing.Ssh);
        var backing = dir.Combine("disk.img");
        File.WriteAllBytes(backing, []);
        Proc.Run("truncate", ["-s", "48M", backing]);
        var loop = Proc.Run("losetup", ["-f", "--show", backing]);
        try
        {
            var refused = Assert.Throws<BadInputException>(
                () => InstallWorld.Install(new InstallOptions(loop, upstream.Path, tip, Config: world.SignedConfig(dir))));
            Assert.Contains("--yes", refused.Message);
            Assert.Throws<BadInputException>(
                () => InstallWorld.Install(new InstallOptions(loop, upstream.Path, tip, Size: "48M", Config: world.SignedConfig(dir), Yes: true)));
            Assert.All(File.ReadAllBytes(backing), b => Assert.Equal(0, b));

            var (result, output) = InstallWorld.Install(new InstallOptions(loop, upstream.Path, tip, Config: world.SignedConfig(dir), Yes: true));
            Assert.True(result.Written, output);
            Assert.Null(result.Plan.Branch);
        }
        finally
        {
            Proc.Run("losetup", ["-d", loop]);
        }

        using var medium = new InstalledImage(backing);
        var record = new YamlSlotStore(new PosixMediumStorage(), medium.Layout).Load().Record;
        Assert.Equal(Revision.Parse(tip), record.KnownGood);
        Assert.True(File.Exists(Path.Combine(medium.Layout.ExtlinuxDirectory, "ldlinux.sys")));
    }

    [HostFact("sfdisk", "mkfs.ext4", "extlinux", "losetup")]
    public void A_dry_run_prints_the_plan_and_creates_nothing()
    {
        using var dir = new TempDirectory("bootsafe-install-dry");
        var upstream = new Upstream(dir.Combine("upstream"));
        var tip = upstream.Commit("only", world.Publisher, Signing.Ssh);
        var image = dir.Combine("medium.img");

        var (result, output) = InstallWorld.Install(new InstallOptions(image, upstream.Path, "master", "32M", world.SignedConfig(dir), DryRun: true));

        Assert.False(result.Written);
        Assert.False(File.Exists(image));
        Assert.Contains(tip, output);
        Assert.Contains("from sector 2048", output);
        Assert.Contains($"live/vmlinuz-{tip}", output);
        Assert.Contains("dry run: nothing was written", output);
    }

    [HostFact("sfdisk", "mkfs.ext4", "extlinux", "losetup")]
    public void An_existing_image_is_only_overwritten_with_yes_and_never_shrunk()
    {
        using var dir = new TempDirectory("bootsafe-install-existing");
        var upstream = new Upstream(dir.Combine("upstream"));
        upstream.Commit("only", world.Publisher, Signing.Ssh);
        var image = dir.Combine("medium.img");
        File.WriteAllText(image, "operator data");
        var before = SHA256.HashData(File.ReadAllBytes(image));

        Assert.Throws<BadInputException>(
            () => InstallWorld.Install(new InstallOptions(image, upstream.Path, "master", "32M", world.SignedConfig(dir))));
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(image)));

        Proc.Run("truncate", ["-s", "40M", image]);
        var shrink = Assert.Throws<BadInputException>(
            () => InstallWorld.Install(new InstallOptions(image, upstream.Path, "master", "32M", world.SignedConfig(dir), Yes: true)));
        Assert.Contains("never shrunk", shrink.Message);
        Assert.Equal(40L << 20, new FileInfo(image).Length);
    }
}
