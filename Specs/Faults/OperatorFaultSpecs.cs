using Webc.BootSafe.Bootloader;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Specs.BootPath;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Specs.Faults;

/// <summary>
/// Issue 14, cases 4 and 5, as the fault happens on a loop-mounted ext4 medium with real extlinux:
/// an operator's edit of extlinux.conf after a promotion, and confirm pointed at a health directory
/// that does not exist. Neither may roll back or blacklist the healthy revision.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class OperatorFaultSpecs : IDisposable
{
    private readonly TempDirectory _dir = new("opfault");

    public void Dispose() => _dir.Dispose();

    [HostFact("extlinux")]
    public void Confirm_with_a_missing_health_directory_exits_2_and_the_trial_stays_trying_untouched()
    {
        using var medium = FaultMedium.Create(_dir);
        var cmdline = medium.BootTrial();
        var before = medium.Snapshot();

        var confirm = medium.Cli("confirm", "--health-dir", _dir.Combine("missing"), "--cmdline", cmdline, "--no-reboot");

        Assert.True(confirm.ExitCode == 2, confirm.ToString());
        Assert.Contains(_dir.Combine("missing"), confirm.Stderr);
        Assert.DoesNotContain("   at ", confirm.Stderr);
        SnapshotAssert.Unchanged(before, medium.Snapshot());
        var record = new YamlSlotStore(new PosixMediumStorage(), medium.Layout).Load().Record;
        Assert.Equal((SlotState.Trying, FaultMedium.Trial), (record.State, record.Trial));

        var empty = _dir.Combine("empty-health");
        Directory.CreateDirectory(empty);
        var noRequired = medium.Cli("confirm", "--health-dir", empty, "--cmdline", cmdline, "--no-reboot");
        Assert.True(noRequired.ExitCode == 2, noRequired.ToString());
        Assert.Contains("required.d", noRequired.Stderr);
        SnapshotAssert.Unchanged(before, medium.Snapshot());

        var allowed = medium.Cli("confirm", "--health-dir", empty, "--cmdline", cmdline, "--no-reboot", "--allow-no-checks");
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        record = new YamlSlotStore(new PosixMediumStorage(), medium.Layout).Load().Record;
        Assert.Equal((SlotState.Stable, FaultMedium.Trial), (record.State, record.KnownGood));
    }

    [HostFact("extlinux")]
    public void Deleting_the_managed_markers_after_a_promotion_never_boots_the_old_revision_and_sync_repairs_it()
    {
        using var medium = FaultMedium.Create(_dir);
        medium.BootTrial();
        medium.Ok("mark-good");
        var config = medium.Layout.ExtlinuxConfig;
        var edited = File.ReadAllLines(config)
            .Where(l => l.TrimEnd() is not (ExtlinuxConfigDocument.BeginMarker or ExtlinuxConfigDocument.EndMarker))
            .ToArray();
        Assert.NotEqual(File.ReadAllLines(config).Length, edited.Length);
        File.WriteAllLines(config, edited);

        var good = medium.Cmdline("good", FaultMedium.Trial);
        var select = medium.Cli("select", "--cmdline", good);
        Assert.True(select.ExitCode == 0, select.ToString());
        Assert.Equal(FaultMedium.Trial.Sha, select.Stdout.Trim());
        var record = new YamlSlotStore(new PosixMediumStorage(), medium.Layout).Load().Record;
        Assert.Equal((SlotState.Stable, FaultMedium.Trial), (record.State, record.KnownGood));
        Assert.Empty(record.Failed);

        var sync = medium.Ok("bootloader", "sync");
        Assert.Contains("repaired", sync.Stdout + sync.Stderr);

        // What the real files boot, read by the product's ldlinux model: good, the promoted revision.
        var next = new MediumBootloader(medium.Layout, new PosixMediumStorage()).Forecast.NextBoots(1)[0];
        Assert.Equal(("good", FaultMedium.Trial), (next.Label, next.Revision));
        var explain = medium.Ok("explain", "--boots", "1");
        Assert.Contains(FaultMedium.Trial.Short, explain.Stdout);
        Assert.Null(new ExtlinuxAdvFile(medium.Layout.ExtlinuxDirectory, new PosixMediumStorage()).Read().Adv.BootOnce);
    }
}
