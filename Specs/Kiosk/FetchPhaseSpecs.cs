namespace Webc.BootSafe.Specs.Kiosk;

/// <summary>S4 reads where a cut landed from the console; these are the console shapes each phase leaves.</summary>
public sealed class FetchPhaseSpecs
{
    private const string Boot = "[    1.2] Linux\nKIOSK-UP slot=good rev=a mounted=a release=r1\nKIOSK-FETCH-START\n";

    [Theory]
    [InlineData("", FetchPhase.StartUp)]
    [InlineData("[10.50] fetch: objects 3/40, indexed 0, 4096 bytes\n", FetchPhase.Transfer)]
    [InlineData("[10.50] fetch: objects 3/40, indexed 0, 4096 bytes\n[11.50] fetch: objects 40/40, indexed 40, 9999 bytes\n", FetchPhase.Verification)]
    [InlineData("[11.50] fetch: objects 40/40, indexed 40, 9999 bytes\n[30.10] webc-bootsafe: abc verified; staging it as trial\n", FetchPhase.Staging)]
    [InlineData("[30.10] webc-bootsafe: abc verified; staging it as trial\n[32.00] abc verified (k); staged as trial (state Staged)\n", FetchPhase.Finished)]
    [InlineData("KIOSK-FETCH exit=0 centiseconds=2200\n", FetchPhase.Finished)]
    public void The_last_fetch_lines_before_the_cut_name_the_phase(string after, FetchPhase expected) =>
        Assert.Equal(expected, FetchPhases.At(Boot + after));

    [Fact]
    public void An_uncut_run_gives_the_phase_boundaries_and_points_inside_them()
    {
        var console = Boot +
            "[10.00] fetch: objects 0/40, indexed 0, 0 bytes\n[12.00] fetch: objects 40/40, indexed 40, 9999 bytes\n" +
            "[30.00] webc-bootsafe: abc verified; staging it as trial\n[34.00] abc verified (k); staged as trial (state Staged)\n";

        var timeline = FetchPhases.Timeline(console, TimeSpan.FromSeconds(28));

        Assert.Equal(TimeSpan.FromSeconds(6), timeline.Start);
        Assert.Equal(TimeSpan.FromSeconds(2), timeline.Into(FetchPhase.StartUp, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(5), timeline.Into(FetchPhase.Transfer, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(15), timeline.Into(FetchPhase.Verification, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(26), timeline.Into(FetchPhase.Staging, 0.5));
        Assert.Equal("fetch: objects 40/40, indexed 40", timeline.VerificationMarker);
        Assert.Contains(timeline.VerificationMarker!, console);
    }
}
