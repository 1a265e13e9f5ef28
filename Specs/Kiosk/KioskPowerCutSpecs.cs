using System.Globalization;
using System.Text.RegularExpressions;
using Webc.BootSafe.Specs.Support;
using Xunit.Abstractions;

namespace Webc.BootSafe.Specs.Kiosk;

/// <summary>
/// S4: the kiosk runs `fetch --stage` of r2 inside the VM (upstream disk attached) and QEMU is killed
/// (SIGKILL: whatever the guest had not written to its disk is lost, as in a power cut) at several
/// moments after the console shows KIOSK-FETCH-START; then the kiosk boots again without the upstream
/// disk. Every boot must reach a revision whose health is confirmed: r1 (the stage never took) or r2
/// (the trial armed and passed), with no trial left pending.
/// </summary>
[Trait(Tier.Name, Tier.Lab)]
[Collection(MachineCollection.Name)]
public sealed class KioskPowerCutSpecs(ITestOutputHelper output)
{
    // The cut moments are fractions of one uncut in-VM fetch measured on this machine, so they spread
    // over start-up, transfer, verification (most of it) and staging however fast TCG runs here. On a
    // loaded machine a later fetch can be faster than the measured one and finish before a late cut:
    // the output says where each cut landed.
    private static readonly Lazy<(TimeSpan Fetch, TimeSpan Staging)> Uncut = new(MeasureFetch, LazyThreadSafetyMode.ExecutionAndPublication);

    [LabTheory]
    [InlineData(0.1)]
    [InlineData(0.4)]
    [InlineData(0.65)]
    [InlineData(0.85)]
    public void S4_a_power_cut_during_fetch_stage_still_boots_a_confirmed_revision(double fractionOfFetch) =>
        CutThenBoot(KioskConsole.FetchStartMarker, Uncut.Value.Fetch * fractionOfFetch);

    // Verification takes most of a fetch, so cuts spread over it rarely hit the seconds in which the
    // medium is written (kernel files, state, extlinux.conf, boot-once). These are fractions of the
    // uncut run's staging, from the line fetch prints when staging begins to its summary; the console
    // is polled every 0.5 s, so each cut lands up to half a second after its delay.
    [LabTheory]
    [InlineData(0.0)]
    [InlineData(0.45)]
    [InlineData(0.9)]
    [InlineData(1.1)]
    public void S4_a_power_cut_while_fetch_stage_writes_the_medium_still_boots_a_confirmed_revision(double fractionOfStaging) =>
        CutThenBoot(StagingMarker, Uncut.Value.Staging * fractionOfStaging);

    private const string StagingMarker = "verified; staging it as trial";

    private const string StagedMarker = "; staged as trial";

    private void CutThenBoot(string marker, TimeSpan delay)
    {
        var r1 = KioskBase.Revision("r1");
        var r2 = KioskBase.Revision("r2");
        using var kiosk = KioskMachine.FromBase();
        var cut = kiosk.BootWithUpstream("r2", KioskMachine.CutAfter(marker, delay));
        Assert.True(cut.Serial.Text.Contains(marker, StringComparison.Ordinal), $"the console never showed '{marker}':\n" + cut);
        output.WriteLine(
            $"uncut fetch {Uncut.Value.Fetch.TotalSeconds:F1}s, its staging {Uncut.Value.Staging.TotalSeconds:F1}s; cut {delay.TotalSeconds:F1}s after '{marker}' (boot {cut.Serial.Elapsed.TotalSeconds:F0}s); {Landed(cut)}; " +
            $"medium after the cut: {After(kiosk.State())}");

        var console = kiosk.Boot();
        output.WriteLine($"next boot {console.Serial.Elapsed.TotalSeconds:F0}s, ups [{string.Join("; ", console.Ups)}]");
        Assert.True(console.PoweredOff, console.ToString());
        Assert.NotEmpty(console.Ups);
        Assert.All(console.Ups, up =>
        {
            Assert.Contains(up.Revision, new[] { r1, r2 });
            Assert.Equal(up.Revision, up.Mounted);
        });
        Assert.All(console.ConfirmExits, exit => Assert.Equal(0, exit));
        var state = kiosk.State();
        // A cut after the state said Staged but before boot-once was armed makes this boot a spent
        // attempt (RolledBack, r2 failed): still on confirmed known-good, which is what S4 demands.
        Assert.Contains(state.State, new[] { "Stable", "RolledBack" });
        Assert.Equal(console.Ups[^1].Revision, state.KnownGood);
        Assert.Null(state.Trial);
    }

    private static string After(KioskState state) => state.Trial is { } trial ? $"{state.State}, trial {trial[..7]}" : state.State;

    private static (TimeSpan Fetch, TimeSpan Staging) MeasureFetch()
    {
        using var kiosk = KioskMachine.FromBase();
        var console = kiosk.FetchAndStage("r2");
        var fetch = console.FetchDuration ?? throw new InvalidOperationException("the uncut fetch printed no duration:\n" + console);
        return (fetch, GuestTime(console, StagedMarker) - GuestTime(console, StagingMarker));
    }

    /// <summary>The guest's uptime the kiosk's init put before the fetch's line containing <paramref name="marker"/>.</summary>
    private static TimeSpan GuestTime(KioskConsole console, string marker)
    {
        var line = Regex.Match(console.Serial.Text, $@"^\[(?<uptime>[0-9]+\.[0-9]+)\] [^\n]*{Regex.Escape(marker)}", RegexOptions.Multiline);
        return line.Success
            ? TimeSpan.FromSeconds(double.Parse(line.Groups["uptime"].Value, CultureInfo.InvariantCulture))
            : throw new InvalidOperationException($"the uncut fetch printed no timed line with '{marker}':\n{console}");
    }

    private static string Landed(KioskConsole cut)
    {
        if (cut.FetchDuration is { } finished)
        {
            return $"the fetch had finished ({finished.TotalSeconds:F1}s, exit {string.Join(", ", cut.FetchExits)}) before the cut";
        }

        var text = cut.Serial.Text;
        var lines = text[text.IndexOf(KioskConsole.FetchStartMarker, StringComparison.Ordinal)..]
            .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return $"cut during the fetch; its last line: {lines[^1]}";
    }
}
