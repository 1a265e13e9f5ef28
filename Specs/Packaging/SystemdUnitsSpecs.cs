using System.Text.RegularExpressions;
using Webc.BootSafe.Specs.BootPath;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Packaging;

/// <summary>
/// The packaged units under a real systemd (the root's own, booted with systemd-nspawn), with their
/// sandbox: the fetch service fetches, verifies and stages a trial on a real ext4 medium with an
/// extlinux ADV bound at /lib/live/mount/medium. On a trial's boot the check unit runs before
/// boot-complete.target: when its required checks pass the target is reached and the confirm unit,
/// after it, promotes the trial; when one fails (exit 4) the target fails, and the rollback unit
/// (the check's OnFailure=) rolls the trial back and asks for the reboot. The failed check is a
/// warning in the journal (`journalctl -p warning`), its output an info line that is not.
/// The container differs from a kiosk in two ways, both set by drop-ins of the spec's own: its
/// /proc/cmdline is the host's (the units read the trial's command line from a file), and the reboot
/// is recorded instead of done.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed partial class SystemdUnitsSpecs
{
    private const string Probe = """
        #!/bin/sh
        # Runs after the verdict and boot-complete.target: optionally starts the fetch service, then
        # writes what systemd says about the units to /probe, and powers the container off.
        exec >/probe 2>&1
        # The rollback unit is started by the check's failure: let it finish first.
        for i in $(seq 1 120); do
        	case "$(systemctl show -p ActiveState --value webc-bootsafe-rollback.service)" in
        	activating | deactivating) sleep 1 ;;
        	*) break ;;
        	esac
        done
        if [ -e /etc/bootsafe-probe-fetch ]; then systemctl start webc-bootsafe-fetch.service; fi
        for unit in webc-bootsafe-check.service webc-bootsafe-confirm.service webc-bootsafe-rollback.service boot-complete.target webc-bootsafe-fetch.service; do
        	for property in ActiveState Result ExecMainStatus; do
        		echo "$unit $property=$(systemctl show -p "$property" --value "$unit")"
        	done
        done
        echo "--- priority warning and above"
        journalctl -b -p warning -u webc-bootsafe-check -u webc-bootsafe-rollback -o cat --no-pager
        echo "--- all"
        journalctl -b -u webc-bootsafe-check -u webc-bootsafe-confirm -u webc-bootsafe-rollback -u webc-bootsafe-fetch -o cat --no-pager
        systemctl poweroff
        """;

    private const string ProbeUnit = """
        [Unit]
        Description=Spec probe
        After=multi-user.target boot-complete.target webc-bootsafe-confirm.service webc-bootsafe-rollback.service

        [Service]
        Type=oneshot
        ExecStart=/usr/local/sbin/bootsafe-probe

        [Install]
        WantedBy=multi-user.target
        """;

    private const string SpecOptions = "--cmdline /etc/bootsafe-cmdline --reboot-command \"touch /lib/live/mount/medium/reboot-requested\"";

    /// <summary>Drop-ins of the spec's own: unit name to its ExecStart (the packaged one plus <see cref="SpecOptions"/>).</summary>
    private static readonly (string Unit, string Step)[] DropIns =
    [
        ("webc-bootsafe-check.service", "--check-only"),
        ("webc-bootsafe-confirm.service", "--record-only"),
        ("webc-bootsafe-rollback.service", "--record-only"),
    ];

    [HostFact]
    public void Fetch_stages_a_trial_that_passes_its_checks_is_promoted_and_one_that_fails_boot_complete_is_rolled_back()
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
        foreach (var (unit, step) in DropIns)
        {
            Directory.CreateDirectory(root.Combine($"etc/systemd/system/{unit}.d"));
            File.WriteAllText(
                root.Combine($"etc/systemd/system/{unit}.d/spec.conf"),
                $"[Service]\nExecStart=\nExecStart=/usr/bin/webc-bootsafe confirm {step} --timeout ${{HEALTH_TIMEOUT}} {SpecOptions}\n");
        }

        // A known-good boot: nothing to judge, so boot-complete.target is reached; fetch stages r2.
        File.WriteAllText(root.Combine("etc/bootsafe-probe-fetch"), string.Empty);
        var known = Boot(root, medium.Root, upstream, $"bootsafe.slot=good git-revision={r1}");
        Assert.Contains("webc-bootsafe-check.service Result=success", known);
        Assert.Contains("boot-complete.target ActiveState=active", known);
        Assert.Contains("webc-bootsafe-confirm.service Result=success", known);
        Assert.Contains("webc-bootsafe-fetch.service Result=success", known);
        Assert.Matches(StateLine("Staged"), Bootsafe("status", "--medium", medium.Root).Stdout);
        Assert.Contains("BOOTONCE trial", Bootsafe("bootloader", "show", "--medium", medium.Root).Stdout, StringComparison.Ordinal);

        // r2's trial boot (the initramfs's select records it): its checks, the project's and a
        // greenboot one, pass; the target is reached and the verdict after it promotes r2, whose
        // fetch then stages r3.
        var r3 = Commit(upstream, 3);
        Check(root, "etc/webc/health.d/required.d/50-browser", "echo the browser is up\nexit 0");
        Check(root, "etc/greenboot/check/required.d/60-greenboot", "echo a greenboot check\nexit 0");
        var passing = Trial(root, medium.Root, upstream, r2);
        Assert.Contains("webc-bootsafe-check.service Result=success", passing);
        Assert.Contains("boot-complete.target ActiveState=active", passing);
        Assert.Contains("webc-bootsafe-confirm.service Result=success", passing);
        Assert.Contains("webc-bootsafe-rollback.service ActiveState=inactive", passing);
        Assert.Contains("required.d/60-greenboot", passing);
        Assert.Matches(new Regex($@"(?m)^known-good:\s+{r2}$"), Bootsafe("status", "--medium", medium.Root).Stdout);
        Assert.False(File.Exists(medium.Combine("reboot-requested")), "a passing trial asked for a reboot\n" + passing);

        // r3's trial boot: a required check fails, so the check unit fails (exit 4), the target
        // fails, and the rollback unit rolls r3 back to r2 and asks for the reboot.
        File.Delete(root.Combine("etc/bootsafe-probe-fetch"));
        Check(root, "etc/webc/health.d/required.d/50-browser", "echo the browser did not start\nexit 1");
        var failing = Trial(root, medium.Root, upstream, r3);
        Assert.Contains("webc-bootsafe-check.service ExecMainStatus=4", failing);
        Assert.Contains("webc-bootsafe-check.service ActiveState=failed", failing);
        Assert.DoesNotContain("boot-complete.target ActiveState=active", failing);
        Assert.Contains("webc-bootsafe-confirm.service ActiveState=inactive", failing);
        Assert.Contains("webc-bootsafe-rollback.service Result=success", failing);
        var status = Bootsafe("status", "--medium", medium.Root).Stdout;
        Assert.Matches(StateLine("RolledBack"), status);
        Assert.Matches(new Regex($@"(?m)^known-good:\s+{r2}$"), status);
        Assert.True(File.Exists(medium.Combine("reboot-requested")), "the rollback unit did not run its reboot command\n" + failing);

        // journald priorities: the failed check is a warning; the check's own output is info.
        var warnings = Between(failing, "--- priority warning and above", "--- all");
        Assert.Contains("required check required.d/50-browser: failed with exit code 1", warnings);
        Assert.DoesNotContain("the browser did not start", warnings);
        Assert.Contains("the browser did not start", failing[failing.IndexOf("--- all", StringComparison.Ordinal)..]);
    }

    private static string Trial(UnpackedRoot root, string medium, string upstream, string revision)
    {
        var cmdline = $"boot=webc-bootsafe git-revision={revision} bootsafe.slot=trial";
        File.WriteAllText(root.Combine("etc/bootsafe-cmdline"), cmdline + "\n");
        Must(Bootsafe("select", "--medium", medium, "--cmdline", root.Combine("etc/bootsafe-cmdline")));
        return Boot(root, medium, upstream, cmdline);
    }

    private static void Check(UnpackedRoot root, string path, string body)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(root.Combine(path))!);
        File.WriteAllText(root.Combine(path), "#!/bin/sh\n" + body + "\n");
        Executable(root.Combine(path));
    }

    private static string Between(string text, string from, string to)
    {
        var start = text.IndexOf(from, StringComparison.Ordinal);
        var end = text.IndexOf(to, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "no journal section in the probe:\n" + text);
        return text[start..end];
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
