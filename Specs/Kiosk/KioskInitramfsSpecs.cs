using System.Security.Cryptography;
using Webc.BootSafe.Specs.Support;
using Xunit.Abstractions;

namespace Webc.BootSafe.Specs.Kiosk;

/// <summary>
/// Issue 16 item 4 on real boots: the project's initramfs script (dist/initramfs-tools, built into the
/// kiosk's initramfs by mkinitramfs) never strands a kiosk. The stopped kiosk's medium is broken
/// after the medium is found (lab/kiosk/break-medium.sh: one label's revision loses /sbin/init or
/// names a commit the repository lacks), and each power-on is its own QEMU process with -no-reboot,
/// so a guest reboot ends it: exit 0 without a kiosk userspace means the initramfs rebooted; a VM
/// still running at the (initramfs) prompt means it opened a shell.
/// </summary>
[Trait(Tier.Name, Tier.Lab)]
[Collection(MachineCollection.Name)]
public sealed class KioskInitramfsSpecs(ITestOutputHelper output)
{
    private const string ShellPrompt = "(initramfs)";

    [LabFact]
    public void With_debug_the_repository_is_read_only_at_dot_git_of_the_root_and_without_it_there_is_none()
    {
        using var kiosk = KioskMachine.FromBase();
        var plain = kiosk.Boot();
        Assert.True(plain.PoweredOff, plain.ToString());
        Assert.Equal("none", DotGit(plain));

        output.WriteLine(kiosk.Break("append", "good", "debug"));
        var debug = kiosk.Boot();
        output.WriteLine(debug.ToString());
        Assert.True(debug.PoweredOff, debug.ToString());
        Assert.Equal(KioskBase.Revision("r1"), Assert.Single(debug.Ups).Mounted);
        Assert.Equal("ro", DotGit(debug));
        Assert.Contains("live/filesystem.git is at /.git, read-only", debug.Serial.Text, StringComparison.Ordinal);
    }

    // What the kiosk's init found at /.git (lab/kiosk/make-rootfs.sh): none, ro or rw.
    private static string DotGit(KioskConsole console) =>
        System.Text.RegularExpressions.Regex.Match(console.Serial.Text, @"KIOSK-UP [^\n]* dotgit=(\S+)") is { Success: true } m
            ? m.Groups[1].Value
            : throw new InvalidOperationException("no KIOSK-UP line with dotgit=:\n" + console);

    [LabFact]
    public void A_revision_without_sbin_init_reboots_after_a_short_delay_instead_of_opening_a_shell()
    {
        using var kiosk = KioskMachine.FromBase();
        output.WriteLine(kiosk.Break("no-init", "good"));

        var console = kiosk.PowerOn(kiosk.IdeDrive, ShellFor(TimeSpan.FromSeconds(20)));
        output.WriteLine(console.ToString());

        Assert.True(console.Serial.ExitCode == 0, $"the guest did not reboot (QEMU -no-reboot exits 0 on a reboot):\n{console}");
        Assert.Contains("has no /sbin/init; rebooting in 1 s", console.Serial.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(ShellPrompt, console.Serial.Text, StringComparison.Ordinal);
        Assert.Empty(console.Ups);
        Assert.Equal(0, console.Panics);
    }

    [LabFact]
    public void With_debug_the_same_failure_keeps_the_shell_for_a_person()
    {
        using var kiosk = KioskMachine.FromBase();
        output.WriteLine(kiosk.Break("no-init", "good"));
        output.WriteLine(kiosk.Break("append", "good", "debug"));

        // The shell must still be there 15 s after it opened (panic=1 would have rebooted long before).
        var console = kiosk.PowerOn(kiosk.IdeDrive, KioskMachine.CutAfter(ShellPrompt, TimeSpan.FromSeconds(15)));
        output.WriteLine(console.ToString());

        Assert.True(console.Serial.ExitCode is null, $"the guest ended instead of waiting at the shell:\n{console}");
        Assert.Contains(ShellPrompt, console.Serial.Text, StringComparison.Ordinal);
        Assert.Contains("debug: keeping the shell", console.Serial.Text, StringComparison.Ordinal);
        Assert.Empty(console.Ups);
    }

    [LabFact]
    public void A_trial_whose_revision_git_fs_cannot_mount_reboots_and_known_good_comes_up_and_rolls_it_back()
    {
        var r1 = KioskBase.Revision("r1");
        var r2 = KioskBase.Revision("r2");
        using var kiosk = KioskMachine.FromBase();
        kiosk.FetchAndStage("r2");
        output.WriteLine(kiosk.Break("missing", "trial"));

        var trial = kiosk.PowerOn(kiosk.IdeDrive, ShellFor(TimeSpan.FromSeconds(20)));
        output.WriteLine(trial.ToString());
        Assert.True(trial.Serial.ExitCode == 0, $"the trial boot did not reboot:\n{trial}");
        Assert.Contains("git-fs could not mount revision 0123456789abcdef0123456789abcdef01234567 (slot trial)", trial.Serial.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(ShellPrompt, trial.Serial.Text, StringComparison.Ordinal);
        Assert.Empty(trial.Ups);

        // Boot-once is spent: DEFAULT brings known-good, whose select rolls the trial back.
        var next = kiosk.PowerOn(kiosk.IdeDrive);
        output.WriteLine(next.ToString());
        Assert.Equal(new KioskUp("good", r1, r1, "r1"), Assert.Single(next.Ups));
        var state = kiosk.State();
        Assert.Equal(("RolledBack", r1), (state.State, state.KnownGood));
        Assert.True(state.HasFailed(r2), $"r2 is not in the failed set: {string.Join(", ", state.Failed)}");
    }

    [LabFact]
    public void A_read_only_medium_boots_its_command_lines_revision_says_so_and_writes_nothing()
    {
        var r1 = KioskBase.Revision("r1");
        using var kiosk = KioskMachine.FromBase();
        var before = Hash(kiosk.Image);

        // QEMU's IDE disks cannot be read-only; virtio-blk can, and the kiosk's initramfs carries its driver.
        var console = kiosk.PowerOn($"file={kiosk.Image},format=raw,if=virtio,readonly=on", ShellFor(TimeSpan.FromSeconds(20)));
        output.WriteLine(console.ToString());

        Assert.Contains("Not a writable boot medium", console.Serial.Text, StringComparison.Ordinal);
        Assert.Equal(new KioskUp("good", r1, r1, "r1"), Assert.Single(console.Ups));
        Assert.DoesNotContain(ShellPrompt, console.Serial.Text, StringComparison.Ordinal);
        Assert.Equal(before, Hash(kiosk.Image));
    }

    // A shell that opened and is still there after `wait`: the spec has seen enough (and fails).
    private static Func<string, bool> ShellFor(TimeSpan wait) => KioskMachine.CutAfter(ShellPrompt, wait);

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
