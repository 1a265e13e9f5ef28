using Webc.BootSafe.Specs.Support;
using Xunit.Abstractions;

namespace Webc.BootSafe.Specs.Kiosk;

/// <summary>
/// Issue 8's scenarios on a real boot: QEMU (TCG) runs extlinux, Debian's cloud kernel, the initramfs
/// built from dist/initramfs-tools (select, git-fs mount, overlay), and the busybox revision's init,
/// which runs `confirm`, then (with the vendor's upstream disk attached) `fetch --stage` from the
/// signed file:// remote, and prints markers. The host only reads the state between boots.
/// </summary>
[Trait(Tier.Name, Tier.Lab)]
[Collection(MachineCollection.Name)]
public sealed class KioskScenarioSpecs(ITestOutputHelper output)
{
    [LabFact]
    public void S1_an_update_is_confirmed_on_its_first_boot()
    {
        var r1 = KioskBase.Revision("r1");
        var r2 = KioskBase.Revision("r2");
        using var kiosk = KioskMachine.FromBase();

        var before = Fetched(kiosk, "r2", "r1, known-good, fetches r2");
        Assert.Equal(new KioskUp("good", r1, r1, "r1"), Assert.Single(before.Ups));
        Assert.Equal([0], before.ConfirmExits);

        var trial = Booted(kiosk, "trial r2");
        Assert.Equal(new KioskUp("trial", r2, r2, "r2"), Assert.Single(trial.Ups));
        Assert.Equal([0], trial.ConfirmExits);
        var confirmed = kiosk.State();
        Assert.Equal(("Stable", r2, (string?)null), (confirmed.State, confirmed.KnownGood, confirmed.Trial));
    }

    [LabFact]
    public void S1_after_the_confirmed_update_a_plain_boot_runs_it()
    {
        var r2 = KioskBase.Revision("r2");
        using var kiosk = KioskMachine.FromBase();
        Fetched(kiosk, "r2", "r1 fetches r2");
        Assert.Equal([0], Booted(kiosk, "trial r2").ConfirmExits);

        var plain = Booted(kiosk, "plain boot after the update");
        Assert.Equal(new KioskUp("good", r2, r2, "r2"), Assert.Single(plain.Ups));
    }

    [LabFact]
    public void S2_a_panicking_trial_kernel_comes_back_on_known_good_by_itself_and_is_not_staged_again()
    {
        var r2 = KioskBase.Revision("r2");
        var r3 = KioskBase.Revision("r3");
        using var kiosk = KioskMachine.FromBase("r2");
        Fetched(kiosk, "r3", "r2 fetches r3");

        // The base medium allows 1 trial boot: the panic's own reboot (panic=1) lands on known-good.
        var run = Booted(kiosk, "trial r3 (panicking initrd), then known-good");
        Assert.True(run.Panics >= 1, "r3's kernel did not panic\n" + run);
        Assert.Equal(new KioskUp("good", r2, r2, "r2"), Assert.Single(run.Ups));
        var state = kiosk.State();
        Assert.Equal(("RolledBack", r2), (state.State, state.KnownGood));
        Assert.True(state.HasFailed(r3), $"r3 not in the failed set: {string.Join(", ", state.Failed)}");

        // The vendor still publishes r3: the next fetch timer refuses it, and nothing is staged.
        var again = kiosk.BootWithUpstream("r3");
        Report("r2 fetches r3 again", again);
        Assert.True(again.PoweredOff, again.ToString());
        Assert.Equal(new KioskUp("good", r2, r2, "r2"), Assert.Single(again.Ups));
        Assert.Equal([1], again.FetchExits);
        Assert.Contains("refusing it again", again.Serial.Text, StringComparison.Ordinal);
        var after = kiosk.State();
        Assert.Equal(("RolledBack", r2, (string?)null), (after.State, after.KnownGood, after.Trial));
    }

    [LabFact]
    public void S3_a_trial_whose_required_health_check_fails_reboots_into_known_good()
    {
        var r2 = KioskBase.Revision("r2");
        var r4 = KioskBase.Revision("r4");
        using var kiosk = KioskMachine.FromBase("r2");
        Fetched(kiosk, "r4", "r2 fetches r4");

        var run = Booted(kiosk, "trial r4 (health fails), then known-good");
        Assert.Equal([new KioskUp("trial", r4, r4, "r4"), new KioskUp("good", r2, r2, "r2")], run.Ups);
        Assert.Equal(1, run.HealthReboots);
        var state = kiosk.State();
        Assert.Equal(("RolledBack", r2), (state.State, state.KnownGood));
        Assert.True(state.HasFailed(r4), $"r4 not in the failed set: {string.Join(", ", state.Failed)}");
    }

    private KioskConsole Fetched(KioskMachine kiosk, string release, string what) => Report(what, kiosk.FetchAndStage(release));

    private KioskConsole Booted(KioskMachine kiosk, string what)
    {
        var console = Report(what, kiosk.Boot());
        Assert.True(console.PoweredOff, $"boot ({what}) did not power off cleanly:\n{console}");
        return console;
    }

    private KioskConsole Report(string what, KioskConsole console)
    {
        var fetch = console.FetchDuration is { } d ? $", in-VM fetch {d.TotalSeconds:F1}s (exits [{string.Join(", ", console.FetchExits)}])" : "";
        output.WriteLine($"boot ({what}): {console.Serial.Elapsed.TotalSeconds:F0}s, ups [{string.Join("; ", console.Ups)}], panics {console.Panics}{fetch}");
        return console;
    }
}
