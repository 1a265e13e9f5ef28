using Webc.BootSafe.Specs.Support;
using System.Text.Json;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Specs.StateMachine;

/// <summary>`unfail REV --reason TEXT` through the real executable.</summary>
public sealed class UnfailCliSpecs
{
    private static readonly Revision Good = Scenario.Revisions[0];
    private static readonly Revision Next = Scenario.Revisions[1];

    /// <summary>A medium whose record is RolledBack with <see cref="Next"/> in the failed set.</summary>
    private static MediumLayout WithAFailedRevision(TempDirectory medium)
    {
        Assert.Equal(0, CliRun.Of("--medium", medium.Path, "init", "--revision", Good.Sha).ExitCode);
        var layout = new MediumLayout(medium.Path);
        var store = new YamlSlotStore(new PosixMediumStorage(), layout);
        foreach (SlotEvent e in new SlotEvent[] { new Stage(Next), new BootObserved(Next, "trial"), new HealthFailed("no browser") })
        {
            store.Commit(SlotMachine.Fire(store.Load().Record, e, DateTimeOffset.UtcNow));
        }

        return layout;
    }

    [Fact]
    public void Unfail_lifts_a_failed_revision_and_the_history_records_the_reason()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        WithAFailedRevision(medium);

        var run = CliRun.Of("--medium", medium.Path, "unfail", Next.Sha.ToUpperInvariant(), "--reason", "network outage, not the revision");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Unfail: RolledBack -> RolledBack", run.Stdout);

        using var status = JsonDocument.Parse(CliRun.Of("--medium", medium.Path, "--json", "status").Stdout);
        Assert.Equal(0, status.RootElement.GetProperty("failed").GetArrayLength());
        Assert.Equal("RolledBack", status.RootElement.GetProperty("state").GetString());

        var history = CliRun.Of("--medium", medium.Path, "history", "--verify");
        Assert.Equal(0, history.ExitCode);
        Assert.Contains("network outage, not the revision", File.ReadAllText(new MediumLayout(medium.Path).HistoryFile));
    }

    [Fact]
    public void Unfail_of_a_revision_not_in_the_failed_set_exits_1_naming_it_and_changes_nothing()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        var layout = WithAFailedRevision(medium);
        var state = File.ReadAllBytes(layout.StateFile);
        var history = File.ReadAllBytes(layout.HistoryFile);

        var run = CliRun.Of("--medium", medium.Path, "unfail", Good.Sha, "--reason", "x");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(Good.Sha, run.Stderr);
        Assert.Contains("not in the failed set", run.Stderr);
        Assert.Equal(state, File.ReadAllBytes(layout.StateFile));
        // The refusal leaves one "Refused" history line with its reason; nothing else changes.
        var after = File.ReadAllBytes(layout.HistoryFile);
        Assert.Equal(history, after[..history.Length]);
        var added = System.Text.Encoding.UTF8.GetString(after[history.Length..]).TrimEnd('\n').Split('\n');
        Assert.Single(added);
        Assert.Contains("\"Refused\"", added[0]);
    }

    [Theory]
    [InlineData("xyz", "--reason", "x")]
    [InlineData("0123456", "--reason", "x")]
    [InlineData(null, "--reason", " ")]
    [InlineData(null, null, null)]
    public void Unfail_with_a_bad_revision_or_no_reason_exits_2_and_changes_nothing(string? rev, string? option, string? reason)
    {
        using var medium = new TempDirectory("bootsafe-sm");
        var layout = WithAFailedRevision(medium);
        var state = File.ReadAllBytes(layout.StateFile);

        string[] args = ["--medium", medium.Path, "unfail", rev ?? Next.Sha, .. option is null ? Array.Empty<string>() : [option, reason!]];
        var run = CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain("   at ", run.Stderr);
        if (rev is not null)
        {
            Assert.Contains(rev, run.Stderr);
        }

        Assert.Equal(state, File.ReadAllBytes(layout.StateFile));
    }
}
