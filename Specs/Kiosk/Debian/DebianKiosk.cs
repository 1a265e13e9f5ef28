using System.Diagnostics;
using System.Text.Json;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Specs.BootPath;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Packaging;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Kiosk.Debian;

/// <summary>
/// S6's kiosk, made as an integrator makes one: a cached mmdebstrap root (systemd, sudo, the cloud
/// kernel, <see cref="MinimalDebianRoot"/>) unpacked as <c>chroot/</c> beside the .deb, then the
/// integration guide's blocks run as written (<see cref="IntegrationGuide"/>): the key and
/// config.yaml once, then the package, <c>commit-root</c> and <c>install</c> onto an image file.
/// Between the package and the commit the lab makes the chroot one of its releases
/// (lab/debian-kiosk/release.sh). Later releases are commit-root runs of the changed chroot, which
/// the kiosk fetches from a second disk (lab/kiosk/make-upstream-disk.sh) at /upstream.
/// </summary>
public sealed class DebianKiosk : IDisposable
{
    /// <summary>What the lab's root holds besides MinimalDebianRoot's base: sudo (S6 checks it) and the package's dependencies, so `apt-get install` of the .deb needs no download.</summary>
    public static readonly string[] RootPackages = ["sudo", "fuse3", "libfuse3-3", "libssl3", "busybox"];

    public const string UpdateUrl = "file:///upstream/upstream.git";

    /// <summary>An image file instead of a stick needs a size; the lab also wants the serial console.</summary>
    public static readonly string LabInstallOptions =
        $"--size 2G --serial \"0 115200\" --append \"{BootEntryOptions.DefaultAppend} console=ttyS0,115200\"";

    private static readonly JsonSerializerOptions StatusJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly TempDirectory work;
    private readonly Action<string> log;
    private readonly Dictionary<string, string> releases = new(StringComparer.Ordinal);
    private UnpackedRoot? root;
    private int boots;

    private DebianKiosk(TempDirectory work, Action<string> log)
    {
        this.work = work;
        this.log = log;
    }

    public string Image => work.Combine("kiosk.img");

    public string Chroot => work.Combine("chroot");

    public IReadOnlyDictionary<string, string> Releases => releases;

    /// <summary>The first release, r1, on a stick made by the guide's commands.</summary>
    public static DebianKiosk Build(Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        var tarball = MinimalDebianRoot.Tarball(RootPackages);
        log($"root tarball {tarball} ready after {clock.Elapsed.TotalSeconds:F0}s");
        var kiosk = new DebianKiosk(new TempDirectory("bootsafe-s6"), log);
        try
        {
            kiosk.Create(tarball);
            log($"r1 on the stick after {clock.Elapsed.TotalSeconds:F0}s");
            return kiosk;
        }
        catch
        {
            kiosk.Dispose();
            throw;
        }
    }

    /// <summary>Makes the chroot release <paramref name="name"/> and commits it with the guide's commit-root command.</summary>
    public void Release(string name)
    {
        var commit = IntegrationGuide.Commands("release").Single(IsCommitRoot);
        Lab("debian-kiosk/release.sh", Chroot, name);
        Shell(commit);

        releases[name] = Git("rev-parse", "main").Trim();
        log($"{name} = {releases[name]}");
    }

    /// <summary>
    /// One power-on with the vendor's update disk at <paramref name="upstreamRelease"/>; the guest
    /// reboots inside the same QEMU process (as a kiosk does) until <paramref name="stopWhen"/> is true.
    /// </summary>
    public DebianConsole Boot(string upstreamRelease, Func<DebianConsole, bool> stopWhen, TimeSpan timeout)
    {
        var disk = work.Combine($"upstream-{upstreamRelease}.img");
        if (!File.Exists(disk))
        {
            Run.Command(
                TimeSpan.FromMinutes(5), "bash",
                Path.Combine(RepoPaths.Root, "lab", "kiosk", "make-upstream-disk.sh"), disk, work.Combine("release.git"), releases[upstreamRelease], "main");
        }

        var log = work.Combine($"console-{++boots}.log");
        var clock = new LineClock();
        var serial = QemuVm.Boot(
            Image, log, timeout, memoryMiB: 1024,
            stopWhen: text => stopWhen(new DebianConsole(text, clock.See(text))),
            drive: $"file={Image},format=raw,if=virtio",
            extraArguments:
            [
                "-drive", $"file={disk},format=raw,if=virtio,readonly=on",
                "-device", "i6300esb", "-watchdog-action", "reset",
            ]);
        return new DebianConsole(serial.Text, clock.See(serial.Text), serial);
    }

    public KioskState State()
    {
        var result = Run.Try(
            TimeSpan.FromMinutes(5), "bash",
            [Path.Combine(RepoPaths.Root, "lab", "kiosk", "medium.sh"), Image, AotBinary.Path, "--json", "status"]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"status exited {result.ExitCode}:\n{result.Output}{result.Error}");
        }

        return JsonSerializer.Deserialize<KioskState>(result.Output, StatusJson)
               ?? throw new InvalidOperationException("status --json printed null: " + result.Output);
    }

    public void Dispose()
    {
        root?.Dispose();
        work.Dispose();
    }

    private static bool IsCommitRoot(string command) => command.StartsWith("webc-bootsafe commit-root ", StringComparison.Ordinal);

    private void Create(string tarball)
    {
        root = new UnpackedRoot(tarball, Chroot);
        File.Copy(DebPackage.Path, work.Combine(Path.GetFileName(DebPackage.Path)));
        var bin = work.Sub("bin");
        File.CreateSymbolicLink(Path.Combine(bin, "webc-bootsafe"), AotBinary.Path);

        foreach (var command in IntegrationGuide.Commands("once"))
        {
            Shell(command);
        }

        var release = IntegrationGuide.Commands("release");
        var commit = release.ToList().FindIndex(IsCommitRoot);
        Assert.True(commit > 0, "the guide's release block has no `webc-bootsafe commit-root` after the package: " + string.Join('\n', release));
        foreach (var command in release.Take(commit))
        {
            Shell(command);
        }

        // A chroot is committed without the host's /proc, /dev and /sys in it.
        root.Unbind();
        Release("r1");
        foreach (var command in release.Skip(commit + 1))
        {
            Shell(command.StartsWith("webc-bootsafe install ", StringComparison.Ordinal) ? command + " " + LabInstallOptions : command);
        }
    }

    private void Shell(string command)
    {
        var clock = Stopwatch.StartNew();
        var result = Processes.Try(
            "bash", ["-euo", "pipefail", "-c", command],
            workingDirectory: work.Path,
            environment: new Dictionary<string, string>
            {
                ["PATH"] = work.Combine("bin") + ":" + Environment.GetEnvironmentVariable("PATH"),
                ["UPDATE_URL"] = UpdateUrl,
                ["STICK"] = Image,
                ["DEBIAN_FRONTEND"] = "noninteractive",
                ["LC_ALL"] = "C.UTF-8",
            },
            timeout: TimeSpan.FromMinutes(20));
        log($"$ {command}\n  exit {result.ExitCode} after {clock.Elapsed.TotalSeconds:F0}s");
        Assert.True(result.ExitCode == 0, $"the integration guide's command failed: {command}\n{result}");
    }

    private string Git(params string[] arguments) =>
        Processes.Run("git", ["-C", work.Combine("release.git"), .. arguments]);

    private static void Lab(string script, params string[] arguments) =>
        Run.Command(TimeSpan.FromMinutes(5), "bash", [Path.Combine(RepoPaths.Root, "lab", script), .. arguments]);
}
