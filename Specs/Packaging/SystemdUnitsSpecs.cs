using System.Text.RegularExpressions;
using Webc.BootSafe.Specs.BootPath;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Packaging;

/// <summary>
/// The packaged units under a real systemd (the root's own, booted with systemd-nspawn), with their
/// sandbox: the fetch service fetches, verifies and stages a trial on a real ext4 medium with an
/// extlinux ADV bound at /lib/live/mount/medium; on the trial's boot a required check that fails
/// makes confirm exit 4, which fails boot-complete.target, and the trial is rolled back.
/// The container differs from a kiosk in two ways, both set by a drop-in of the spec's own: its
/// /proc/cmdline is the host's (confirm reads the trial's command line from a file), and the reboot
/// is recorded instead of done.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed partial class SystemdUnitsSpecs
{
    private const string Probe = """
        #!/bin/sh
        # Runs after confirm and boot-complete.target: optionally starts the fetch service, then
        # writes what systemd says about the units to /probe, and powers the container off.
        exec >/probe 2>&1
        if [ -e /etc/bootsafe-probe-fetch ]; then systemctl start webc-bootsafe-fetch.service; fi
        for unit in webc-bootsafe-confirm.service boot-complete.target webc-bootsafe-fetch.service; do
        	for property in ActiveState Result ExecMainStatus; do
        		echo "$unit $property=$(systemctl show -p "$property" --value "$unit")"
        	done
        done
        journalctl -b -u webc-bootsafe-confirm -u webc-bootsafe-fetch -o cat --no-pager
        systemctl poweroff
        """;

    private const string ProbeUnit = """
        [Unit]
        Description=Spec probe
        After=multi-user.target boot-complete.target webc-bootsafe-confirm.service

        [Service]
        Type=oneshot
        ExecStart=/usr/local/sbin/bootsafe-probe

        [Install]
        WantedBy=multi-user.target
        """;

    private const string ConfirmDropIn = """
        [Service]
        ExecStart=
        ExecStart=/usr/bin/webc-bootsafe confirm --timeout ${HEALTH_TIMEOUT} --cmdline /etc/bootsafe-cmdline --reboot-command "touch /lib/live/mount/medium/reboot-requested"
        """;

    [HostFact]
    public void Fetch_stages_under_its_sandbox_and_a_failed_check_fails_boot_complete_and_rolls_back()
    {
        using var work = new TempDirectory("bootsafe-units");
        var image = work.Combine("medium.img");
        Must(ProcessResult.Run("truncate", ["-s", "64M", image]));
        Must(ProcessResult.Run("mkfs.ext4", ["-q", "-F", image]));
        using var medium = LoopMount.FileSystem(image);
        var upstream = work.Combine("upstream");
        var r1 = Commit(upstream, 1);
        Directory.CreateDirectory(medium.Combine("boot", "extlinux"));
        Directory.CreateDirectory(medium.Combine("live", "bootsafe"));
        Must(ProcessResult.Run("extlinux", ["--install", medium.Combine("boot", "extlinux")]));
        Must(ProcessResult.Run("git", ["clone", "-q", "--bare", upstream, medium.Combine("live", "filesystem.git")]));
        Must(Bootsafe("init", "--medium", medium.Root, "--revision", r1));
        Must(Bootsafe("bootloader", "sync", "--medium", medium.Root, "--repo", medium.Combine("live", "filesystem.git"), "--append", "boot=webc-bootsafe root=LABEL=x"));
        File.WriteAllText(medium.Combine("live", "bootsafe", "config.yaml"), "remote: file:///upstream\nrequire-signature: false\nallow-unsigned: true\n");
        var r2 = Commit(upstream, 2);

        using var root = InstalledRoot.Create();
        root.Unbind();
        File.WriteAllText(root.Combine("usr/local/sbin/bootsafe-probe"), Probe.Replace("\r", string.Empty) + "\n");
        Executable(root.Combine("usr/local/sbin/bootsafe-probe"));
        File.WriteAllText(root.Combine("etc/systemd/system/bootsafe-probe.service"), ProbeUnit + "\n");
        File.CreateSymbolicLink(root.Combine("etc/systemd/system/multi-user.target.wants/bootsafe-probe.service"), "/etc/systemd/system/bootsafe-probe.service");

        // A known-good boot: confirm has nothing to judge, so boot-complete.target is reached; the
        // fetch service stages r2.
        File.WriteAllText(root.Combine("etc/bootsafe-probe-fetch"), string.Empty);
        var known = Boot(root, medium.Root, upstream, $"bootsafe.slot=good git-revision={r1}");
        Assert.Contains("webc-bootsafe-confirm.service Result=success", known);
        Assert.Contains("boot-complete.target ActiveState=active", known);
        Assert.Contains("webc-bootsafe-fetch.service Result=success", known);
        Assert.Matches(StateLine("Staged"), Bootsafe("status", "--medium", medium.Root).Stdout);
        Assert.Contains("BOOTONCE trial", Bootsafe("bootloader", "show", "--medium", medium.Root).Stdout, StringComparison.Ordinal);

        // The trial boots: the initramfs's select records it; then a required check fails.
        File.Delete(root.Combine("etc/bootsafe-probe-fetch"));
        var cmdline = $"boot=webc-bootsafe git-revision={r2} bootsafe.slot=trial";
        File.WriteAllText(root.Combine("etc/bootsafe-cmdline"), cmdline + "\n");
        Must(Bootsafe("select", "--medium", medium.Root, "--cmdline", root.Combine("etc/bootsafe-cmdline")));
        Directory.CreateDirectory(root.Combine("etc/systemd/system/webc-bootsafe-confirm.service.d"));
        File.WriteAllText(root.Combine("etc/systemd/system/webc-bootsafe-confirm.service.d/spec.conf"), ConfirmDropIn + "\n");
        Directory.CreateDirectory(root.Combine("etc/webc/health.d/required.d"));
        File.WriteAllText(root.Combine("etc/webc/health.d/required.d/50-browser"), "#!/bin/sh\necho the browser did not start\nexit 1\n");
        Executable(root.Combine("etc/webc/health.d/required.d/50-browser"));

        var trial = Boot(root, medium.Root, upstream, cmdline);
        Assert.Contains("webc-bootsafe-confirm.service ExecMainStatus=4", trial);
        Assert.Contains("webc-bootsafe-confirm.service ActiveState=failed", trial);
        Assert.DoesNotContain("boot-complete.target ActiveState=active", trial);
        Assert.Matches(StateLine("RolledBack"), Bootsafe("status", "--medium", medium.Root).Stdout);
        Assert.True(File.Exists(medium.Combine("reboot-requested")), "confirm did not run its reboot command\n" + trial);
    }

    /// <summary>Boots the root with its systemd in a container until the probe powers it off; returns the probe's report.</summary>
    private static string Boot(UnpackedRoot root, string medium, string upstream, string commandLine)
    {
        File.Delete(root.Combine("probe"));
        var boot = ProcessResult.Run(
            "systemd-nspawn",
            ["--quiet", "--directory", root.Path, "--boot", "--register=no", "--keep-unit",
             $"--bind={medium}:/lib/live/mount/medium", $"--bind-ro={upstream}:/upstream",
             "--", .. commandLine.Split(' ')],
            timeout: TimeSpan.FromMinutes(5));
        var probe = root.Combine("probe");
        Assert.True(File.Exists(probe), "the container did not run the probe:\n" + boot);
        return File.ReadAllText(probe);
    }

    /// <summary>Commit N of the upstream repository: its own kernel and initrd in boot/, as verify wants.</summary>
    private static string Commit(string repository, int n)
    {
        if (!Directory.Exists(repository))
        {
            Must(ProcessResult.Run("git", ["init", "-q", "-b", "master", repository]));
        }

        var boot = Path.Combine(repository, "boot");
        if (Directory.Exists(boot))
        {
            Directory.Delete(boot, recursive: true);
        }

        Directory.CreateDirectory(boot);
        File.WriteAllText(Path.Combine(boot, $"vmlinuz-{n}"), $"kernel {n}\n");
        File.WriteAllText(Path.Combine(boot, $"initrd.img-{n}"), $"initrd {n}\n");
        Must(ProcessResult.Run("git", ["-C", repository, "add", "-A"]));
        Must(ProcessResult.Run("git", ["-C", repository, "-c", "user.name=spec", "-c", "user.email=spec@localhost", "commit", "-q", "-m", $"r{n}"]));
        return ProcessResult.Run("git", ["-C", repository, "rev-parse", "HEAD"]).Stdout.Trim();
    }

    private static void Executable(string path) => Must(ProcessResult.Run("chmod", ["755", path]));

    private static ProcessResult Bootsafe(params string[] arguments) => ProcessResult.Run(AotBinary.Path, arguments);

    private static Regex StateLine(string state) => new($@"(?m)^state:\s+{state}$");

    private static void Must(ProcessResult result) => Assert.True(result.ExitCode == 0, result.ToString());
}
