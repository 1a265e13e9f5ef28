using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;
using Xunit.Abstractions;

namespace Webc.BootSafe.Specs.Kiosk;

/// <summary>
/// S4: `stage` (the write half of fetch --stage) is SIGKILLed at several moments on the kiosk's
/// medium (host-side, VM stopped; lab/kiosk/power-cut.sh), then the kiosk boots: every boot must reach
/// a revision whose health is confirmed, r1 (the stage never took) or r2 (the trial armed and passed).
/// </summary>
[Collection(MachineCollection.Name)]
public sealed class KioskPowerCutSpecs(ITestOutputHelper output)
{
    [Theory]
    [InlineData("0.05")]
    [InlineData("0.4")]
    public void S4_a_power_cut_during_stage_still_boots_a_confirmed_revision(string delaySeconds)
    {
        var r1 = KioskBase.Revision("r1");
        var r2 = KioskBase.Revision("r2");
        using var kiosk = KioskMachine.FromBase();
        kiosk.Fetch("r2");
        var cut = Run.Command(
            TimeSpan.FromMinutes(5), "bash",
            Path.Combine(RepoPaths.Root, "lab", "kiosk", "power-cut.sh"), kiosk.Image, delaySeconds, KioskBase.Cli, "stage", r2).Trim();

        var console = kiosk.Boot();
        output.WriteLine($"cut after {delaySeconds}s: {cut}; boot {console.Serial.Elapsed.TotalSeconds:F0}s, ups [{string.Join("; ", console.Ups)}]");
        Assert.True(console.PoweredOff, console.ToString());
        var up = console.Ups[^1];
        Assert.Contains(up.Revision, new[] { r1, r2 });
        Assert.Equal(up.Revision, up.Mounted);
        var state = kiosk.State();
        Assert.Equal("Stable", state.State);
        Assert.Equal(up.Revision, state.KnownGood);
    }
}
