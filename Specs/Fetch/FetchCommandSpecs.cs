using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Bootloader.Kernels;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// The acceptance path with every real part: the `webc-bootsafe` binary, `git daemon`, a loop-mounted
/// ext4 medium with extlinux installed (so boot-once is the real ADV in ldlinux.sys).
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class FetchCommandSpecs(FetchWorld world) : IClassFixture<FetchWorld>, IDisposable
{
    private readonly TempDirectory _dir = new("bootsafe-fetchcli");

    public void Dispose() => _dir.Dispose();

    private static string JitBinary => Path.Combine(RepoPaths.Root, "Cli", "bin", "Release", "net10.0", "webc-bootsafe");

    // The kiosk runs the NativeAOT binary, where LibGit2Sharp's buffer-returning calls come back empty:
    // the same acceptance must hold for both builds.
    [HostTheory("extlinux", "mkfs.ext4")]
    [InlineData("jit")]
    [InlineData("aot")]
    public void Fetch_stage_refuses_a_force_pushed_older_commit_then_stages_a_signed_newer_one(string build)
    {
        var binary = build == "aot" ? BootPath.AotBinary.Path : JitBinary;
        (int Exit, string Output) Cli(params string[] args)
        {
            var result = Run.Try(TimeSpan.FromMinutes(3), binary, args);
            return (result.ExitCode, result.Output + result.Error);
        }

        var up = new Upstream(_dir.Combine("upstream"));
        var first = up.Commit("v1", world.Trusted, Signing.Ssh);
        var second = up.Commit("v2", world.Trusted, Signing.Ssh);
        using var daemon = new GitDaemon(_dir.Path);
        Directory.CreateDirectory(_dir.Combine("payload"));
        var disk = ExtlinuxDisk.Build(_dir.Combine("disk.img"), _dir.Combine("payload"), 64);
        using var mount = disk.Mount();
        var layout = new MediumLayout(mount.Root);
        var storage = new PosixMediumStorage();
        Proc.Run("git", ["clone", "-q", "--bare", up.Path, layout.Repository]);
        Assert.Equal(0, Cli("init", "--medium", mount.Root, "--revision", second).Exit);
        var good = Revision.Parse(second);
        new KernelFiles(layout, storage).Install(good, "kernel v2"u8, "initrd v2"u8);
        new ExtlinuxConfigFile(layout, storage).Write(new BootEntries(good), new BootEntryOptions());
        File.WriteAllText(layout.ConfigFile, world.Config(daemon.Url("upstream")));
        var cmdline = _dir.Combine("cmdline");
        File.WriteAllText(cmdline, "boot=live quiet");
        Proc.Run("git", ["update-ref", "refs/bootsafe/known-good", second], layout.Repository);
        var medium = new Support.TestMedium(layout);

        up.Git("reset", "-q", "--hard", first);
        var before = medium.Snapshot();
        var (exit, output) = Cli("fetch", "--stage", "--medium", mount.Root, "--cmdline", cmdline);

        Assert.Equal(1, exit);
        Assert.Contains("downgrade refused", output, StringComparison.Ordinal);
        var after = medium.Snapshot();
        var history = Path.Combine("live", "bootsafe", "history.log");
        Assert.NotEqual(before[history], after[history]); // the refusal's reason, under the medium lock
        before.Remove(history);
        after.Remove(history);
        SnapshotAssert.Unchanged(before, after);

        up.Git("reset", "-q", "--hard", second);
        var third = Revision.Parse(up.Commit("v3", world.Trusted, Signing.Gpg));
        (exit, output) = Cli("fetch", "--stage", "--medium", mount.Root, "--cmdline", cmdline);

        Assert.True(exit == 0, output);
        Assert.Contains("staged as trial", output, StringComparison.Ordinal);
        var record = new YamlSlotStore(storage, layout).Load().Record;
        Assert.Equal(SlotState.Staged, record.State);
        Assert.Equal(third, record.Trial);
        Assert.Equal("kernel v3", File.ReadAllText(layout.KernelFile(third)));
        Assert.StartsWith("trial", new ExtlinuxAdvFile(layout.ExtlinuxDirectory, storage).Read().Adv.BootOnce, StringComparison.Ordinal);
    }
}
