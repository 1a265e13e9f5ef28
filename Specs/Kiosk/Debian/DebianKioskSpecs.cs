using System.Diagnostics;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Specs.Support;
using Xunit.Abstractions;

namespace Webc.BootSafe.Specs.Kiosk.Debian;

/// <summary>
/// S6, the road an integrator takes, on real boots: a Debian 12 systemd root from mmdebstrap, the
/// .deb, commit-root and install with their defaults, as docs/integration-guide.md writes them
/// (<see cref="DebianKiosk"/>); then QEMU (TCG, virtio disks, an i6300esb watchdog):
/// r1 runs under systemd, the fetch unit stages r2 from the update disk and reboots into it
/// (REBOOT_POLICY=immediate), r2 passes boot-complete and becomes known-good; r3, whose required
/// check fails, rolls back to r2 by itself; r4, which never reaches boot-complete.target, is
/// rebooted and comes back on r2.
/// </summary>
[Collection(MachineCollection.Name)]
public sealed class DebianKioskSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromMinutes(15);

    [Trait(Tier.Name, Tier.Lab)]
    [LabFact]
    public void S6_a_debian_systemd_kiosk_updates_confirms_and_rolls_back_on_real_boots()
    {
        var total = Stopwatch.StartNew();
        using var kiosk = DebianKiosk.Build(output.WriteLine);
        kiosk.Release("r2");
        kiosk.Release("r3");
        kiosk.Release("r4");
        var r = kiosk.Releases;

        // r1 under systemd; fetch stages r2 and reboots into it; r2 is confirmed.
        var first = Phase(kiosk, "r2", c => c.DoneAfter("r1", "r2"));
        Assert.Equal(("r1", "good"), first.Ups.FirstOrDefault());
        var cmdline = first.Report("UP")[0].Rest;
        Assert.Contains(BootEntryOptions.DefaultAppend, cmdline);
        Assert.Contains($"git-revision={r["r1"]}", cmdline);
        Assert.Equal("state=running", first.First("SYSTEM", "r1"));
        Assert.Equal("640 root:shadow", first.First("SHADOW", "r1"));
        Assert.Equal("4755 root:root", first.First("SUDO-MODE", "r1"));
        Assert.Equal("uid=0", first.First("SUDO", "r1")?.Trim());
        Assert.Contains(("r2", "trial"), first.Ups);
        Assert.Equal("state=running", first.First("SYSTEM", "r2"));
        var afterR2 = kiosk.State();
        Assert.Equal(("Stable", r["r2"], (string?)null), (afterR2.State, afterR2.KnownGood, afterR2.Trial));

        // r3's required check fails: confirm rolls back and reboots into r2.
        var second = Phase(kiosk, "r3", c => c.DoneAfter("r3", "r2"));
        Assert.Equal([("r2", "good"), ("r3", "trial"), ("r2", "good")], second.Ups.Take(3));
        var afterR3 = kiosk.State();
        Assert.Equal(("RolledBack", r["r2"]), (afterR3.State, afterR3.KnownGood));
        Assert.True(afterR3.HasFailed(r["r3"]), $"r3 is not recorded as failed: {string.Join(", ", afterR3.Failed)}");

        // r4 never reaches boot-complete.target: the trial boot timeout reboots it, r2 comes back.
        var third = Phase(kiosk, "r4", c => c.DoneAfter("r4", "r2"));
        Assert.Equal([("r2", "good"), ("r4", "trial"), ("r2", "good")], third.Ups.Take(3));
        var afterR4 = kiosk.State();
        Assert.Equal(("RolledBack", r["r2"]), (afterR4.State, afterR4.KnownGood));
        Assert.True(afterR4.HasFailed(r["r4"]), $"r4 is not recorded as failed: {string.Join(", ", afterR4.Failed)}");
        output.WriteLine($"S6 took {total.Elapsed.TotalMinutes:F1} min");
    }

    private DebianConsole Phase(DebianKiosk kiosk, string upstream, Func<DebianConsole, bool> done)
    {
        var console = kiosk.Boot(upstream, done, PhaseTimeout);
        output.WriteLine($"--- update disk at {upstream}: {console.Serial?.Elapsed.TotalSeconds:F0}s");
        output.WriteLine(string.Join("\n", console.Lines.Select(l => $"{l.Seen.TotalSeconds,6:F0}s {l.Kind} {l.Release} {l.Rest}")));
        Assert.True(done(console), $"the phase with the update disk at {upstream} did not finish:\n{console}");
        return console;
    }
}
