using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.Specs.Install.Support;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Install;

/// <summary>
/// The acceptance run: `webc-bootsafe install --target X.img --size 512M --repo R --revision main`
/// through the real executable, then a BIOS boot of the image under QEMU: syslinux's MBR, extlinux,
/// label good, the revision's kernel (Debian's cloud kernel) and initrd (a marker busybox one).
/// </summary>
[Collection(MachineCollection.Name)]
public sealed class InstallBootSpecs(InstallWorld world) : IClassFixture<InstallWorld>
{
    [Trait(Tier.Name, Tier.Lab)]
    [LabFact]
    public void The_installed_image_boots_its_revision_under_QEMU()
    {
        Assert.True(File.Exists(RepoPaths.Kernel), $"{RepoPaths.Kernel} is missing: run make deps (lab/fetch-kernel.sh)");
        using var dir = new TempDirectory("bootsafe-install-boot");
        var upstream = new Upstream(dir.Combine("upstream"));
        upstream.Git("checkout", "-q", "-b", "main");
        var boot = Path.Combine(upstream.Path, "boot");
        Directory.CreateDirectory(boot);
        File.Copy(RepoPaths.Kernel, Path.Combine(boot, "vmlinuz-6.1.0-cloud-amd64"));
        BusyboxInitrd.Build(Path.Combine(boot, "initrd.img-6.1.0-cloud-amd64"), "install");
        upstream.Commit("bootable", world.Publisher, Signing.Ssh, withKernel: false);
        var tip = upstream.Git("rev-parse", "main");
        var image = dir.Combine("x.img");

        var cli = Run("dotnet", [
            Path.Combine(AppContext.BaseDirectory, "webc-bootsafe.dll"), "install",
            "--target", image, "--size", "512M", "--repo", upstream.Path, "--revision", "main",
            "--config", world.SignedConfig(dir), "--append", "console=ttyS0 panic=-1"]);

        Assert.True(cli.ExitCode == 0, cli.Output);
        Assert.Contains($"installed {tip} (main)", cli.Output);
        Assert.Contains("copy repository: 100%", cli.Output);
        Assert.Equal(512L << 20, new FileInfo(image).Length);

        var console = QemuVm.Boot(image, dir.Combine("console.log"));
        Assert.True(console.PoweredOff, console.ToString());
        var cmdline = console.CommandLineOf("install") ?? "";
        Assert.Contains($"git-revision={tip}", cmdline);
        Assert.Contains("bootsafe.slot=good", cmdline);
    }

    [Fact]
    public void The_executable_exits_2_for_a_refusal_and_1_for_a_failed_verification()
    {
        using var dir = new TempDirectory("bootsafe-install-exit");
        var upstream = new Upstream(dir.Combine("upstream"));
        upstream.Commit("unsigned", null, Signing.None);
        var image = dir.Combine("x.img");
        var dll = Path.Combine(AppContext.BaseDirectory, "webc-bootsafe.dll");

        var missing = Run("dotnet", [dll, "install", "--target", image, "--repo", upstream.Path, "--revision", "master"]);
        Assert.True(missing.ExitCode == 2, missing.Output);
        Assert.Contains("--size is required", missing.Output);

        var unsigned = Run("dotnet", [dll, "install", "--target", image, "--size", "64M", "--repo", upstream.Path, "--revision", "master"]);
        Assert.True(unsigned.ExitCode == 1, unsigned.Output);
        Assert.Contains("no trusted key is configured", unsigned.Output);
        Assert.False(File.Exists(image));
    }

    private static (int ExitCode, string Output) Run(string file, IEnumerable<string> args)
    {
        var result = Processes.Try(file, args, timeout: Timeout.InfiniteTimeSpan);
        return (result.ExitCode, result.Stdout + result.Stderr);
    }
}
