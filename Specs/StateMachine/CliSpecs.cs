using Webc.BootSafe.Updates.Session;
using System.Text.Json;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.StateMachine;

/// <summary>The acceptance checks of init, status, history and graph, through the real executable.</summary>
public sealed class CliSpecs
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";

    [Fact]
    public void Init_then_json_status_prints_Stable_with_that_known_good()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        Assert.Equal(0, CliRun.Of("--medium", medium.Path, "init", "--revision", Sha.ToUpperInvariant()).ExitCode);

        var status = CliRun.Of("--medium", medium.Path, "--json", "status");
        Assert.Equal(0, status.ExitCode);
        using var json = JsonDocument.Parse(status.Stdout);
        var root = json.RootElement;
        Assert.Equal("Stable", root.GetProperty("state").GetString());
        Assert.Equal(Sha, root.GetProperty("known_good").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("trial").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("previous").ValueKind);
        Assert.Equal(0, root.GetProperty("trial_boots").GetInt32());
        Assert.Equal(1, root.GetProperty("max_trial_boots").GetInt32());
        Assert.Equal(0, root.GetProperty("failed").GetArrayLength());
        Assert.Equal(1, root.GetProperty("generation").GetInt64());
    }

    [Fact]
    public void Init_with_a_bad_revision_exits_2_names_it_and_writes_nothing()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        var run = CliRun.Of("--medium", medium.Path, "init", "--revision", "xyz");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("xyz", run.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(medium.Path));
    }

    [Fact]
    public void Init_on_an_initialized_medium_exits_1_unless_forced()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        Assert.Equal(0, CliRun.Of("--medium", medium.Path, "init", "--revision", Sha).ExitCode);
        var again = CliRun.Of("--medium", medium.Path, "init", "--revision", Sha);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.Stderr);
        Assert.Equal(0, CliRun.Of("--medium", medium.Path, "init", "--force", "--revision", Sha).ExitCode);
    }

    [Fact]
    public void Status_reports_that_it_rebuilt_the_record_from_a_corrupted_state_file()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        Assert.Equal(0, CliRun.Of("--medium", medium.Path, "init", "--revision", Sha).ExitCode);
        var layout = new MediumLayout(medium.Path);
        Commit(layout, new Stage(Scenario.Revisions[1]));

        var bytes = File.ReadAllBytes(layout.StateFile);
        File.WriteAllBytes(layout.StateFile, bytes[..(bytes.Length / 3)]);

        var status = CliRun.Of("--medium", medium.Path, "--json", "status");
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("rebuilt generation 2", status.Stderr);
        using var json = JsonDocument.Parse(status.Stdout);
        Assert.Equal("Staged", json.RootElement.GetProperty("state").GetString());
        Assert.Contains("rebuilt", json.RootElement.GetProperty("recovery").GetString());

        File.WriteAllText(layout.PreviousStateFile, "state: Stable\n");
        var none = CliRun.Of("--medium", medium.Path, "status");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("no readable slot record", none.Stderr);
    }

    [Fact]
    public void History_verify_passes_then_fails_once_a_line_is_changed()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        Assert.Equal(0, CliRun.Of("--medium", medium.Path, "init", "--revision", Sha).ExitCode);
        var layout = new MediumLayout(medium.Path);
        Commit(layout, new Stage(Scenario.Revisions[1]));
        Commit(layout, new BootObserved(Scenario.Revisions[1], "trial"));

        var ok = CliRun.Of("--medium", medium.Path, "history", "--verify");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("history verified: 3 line(s)", ok.Stdout);

        var lines = File.ReadAllLines(layout.HistoryFile);
        lines[1] = lines[1].Replace("\"staged\"", "\"Staged\"", StringComparison.Ordinal);
        File.WriteAllLines(layout.HistoryFile, lines);
        var bad = CliRun.Of("--medium", medium.Path, "history", "--verify");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("line 2: its hash does not match", bad.Stderr);
    }

    [Theory]
    [InlineData("mermaid")]
    [InlineData("dot")]
    public void Graph_names_all_four_states(string format)
    {
        var run = CliRun.Of("graph", "--format", format);
        Assert.Equal(0, run.ExitCode);
        foreach (var state in Enum.GetNames<SlotState>())
        {
            Assert.Contains(state, run.Stdout);
        }
    }

    [Fact]
    public void Graph_with_an_unknown_format_exits_2_naming_it()
    {
        var run = CliRun.Of("graph", "--format", "svg");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("svg", run.Stderr);
    }

    /// <summary>Fires and commits on the store alone (these specs are about the record, not the bootloader).</summary>
    private static void Commit(MediumLayout layout, SlotEvent e)
    {
        var store = new YamlSlotStore(new PosixMediumStorage(), layout);
        store.Commit(SlotMachine.Fire(store.Load().Record, e, DateTimeOffset.UtcNow));
    }
}
