using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Webc.BootSafe.Provision;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.Specs.Install.Support;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Specs.Install;

/// <summary>
/// A failure at any write step names the step and leaves nothing behind: the image file removed,
/// its loop device detached, the temporary mount gone.
/// </summary>
[Collection(MachineCollection.Name)]
public sealed class InstallCleanupSpecs(InstallWorld world) : IClassFixture<InstallWorld>
{
    [Trait(Tier.Name, Tier.Host)]
    [HostTheory("sfdisk", "mkfs.ext4", "extlinux", "losetup")]
    [InlineData("image")]
    [InlineData("boot code")]
    [InlineData("format")]
    [InlineData("copy repository")]
    [InlineData("state")]
    [InlineData("unmount")]
    public void A_failure_at_a_step_names_it_and_removes_the_image(string failing)
    {
        using var dir = new TempDirectory("bootsafe-install-fail");
        var upstream = new Upstream(dir.Combine("upstream"));
        upstream.Commit("only", world.Publisher, Signing.Ssh);
        var image = dir.Combine("medium.img");
        var mountsBefore = MediumMounts();

        var e = Assert.Throws<OperationFailedException>(() => InstallWorld.Install(
            new InstallOptions(image, upstream.Path, "master", "40M", world.SignedConfig(dir)),
            step => _ = step == failing ? throw new IOException("injected fault") : 0));

        Assert.StartsWith($"install failed at step '{failing}': injected fault; removed the unfinished image file {image}", e.Message);
        Assert.False(File.Exists(image));
        Assert.Empty(BlockDevices.LoopsOf(image));
        Assert.Equal(mountsBefore, MediumMounts());
    }

    [Fact]
    public void An_empty_initrd_is_refused_at_verify_before_the_target_is_touched()
    {
        using var dir = new TempDirectory("bootsafe-install-empty");
        var upstream = new Upstream(dir.Combine("upstream"));
        upstream.Commit("empty initrd", world.Publisher, Signing.Ssh, new Dictionary<string, string?> { [Upstream.Initrd] = "" });
        var image = dir.Combine("medium.img");

        var e = Assert.Throws<OperationFailedException>(
            () => InstallWorld.Install(new InstallOptions(image, upstream.Path, "master", "40M", world.SignedConfig(dir))));

        Assert.Contains($"{Upstream.Initrd} is empty", e.Message);
        Assert.False(File.Exists(image));
    }

    [Trait(Tier.Name, Tier.Host)]
    [HostFact("sfdisk", "mkfs.ext4", "extlinux", "losetup")]
    public async Task A_TERM_signal_while_writing_cleans_up_like_a_failed_step()
    {
        using var dir = new TempDirectory("bootsafe-install-term");
        var upstream = new Upstream(dir.Combine("upstream"));
        Directory.CreateDirectory(Path.Combine(upstream.Path, "data"));
        for (var i = 0; i < 4; i++)
        {
            File.WriteAllBytes(Path.Combine(upstream.Path, "data", $"blob{i}"), RandomNumberGenerator.GetBytes(8 << 20));
        }

        upstream.Commit("big", world.Publisher, Signing.Ssh);
        var image = dir.Combine("medium.img");
        var mountsBefore = MediumMounts();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "webc-bootsafe.dll"), "install", "--target", image, "--size", "200M",
                     "--repo", upstream.Path, "--revision", "master", "--config", world.SignedConfig(dir),
                 })
        {
            info.ArgumentList.Add(a);
        }

        using var cli = Process.Start(info)!;
        var stdout = cli.StandardOutput.ReadToEndAsync();
        var stderr = new StringBuilder();
        while (await cli.StandardError.ReadLineAsync() is { } line)
        {
            stderr.AppendLine(line);
            if (line.Contains("install: attach:", StringComparison.Ordinal))
            {
                Proc.Run("kill", ["-TERM", cli.Id.ToString(CultureInfo.InvariantCulture)]);
            }
        }

        await cli.WaitForExitAsync();
        var said = stderr + await stdout;
        Assert.True(cli.ExitCode == 1, said);
        Assert.Contains("interrupted by a signal", said);
        Assert.Contains($"removed the unfinished image file {image}", said);
        Assert.False(File.Exists(image));
        Assert.Empty(BlockDevices.LoopsOf(image));
        Assert.Equal(mountsBefore, MediumMounts());
    }

    private static string[] MediumMounts() =>
        [.. MountTable.Read().Select(m => m.MountPoint).Where(p => p.Contains("webc-bootsafe-medium-", StringComparison.Ordinal))];
}
