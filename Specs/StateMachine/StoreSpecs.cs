using Webc.BootSafe.Updates.Session;
using System.Diagnostics;
using System.Text;
using FsCheck.Fluent;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.StateMachine;

/// <summary>The store, history, lock and session on a real directory (PosixMediumStorage).</summary>
public sealed class StoreSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 5, 6, 7, 8, 9, TimeSpan.FromHours(2));
    private static readonly Revision Good = Scenario.Revisions[0];
    private static readonly Revision Next = Scenario.Revisions[1];

    private static (MediumLayout Layout, YamlSlotStore Store) Init(TempDirectory medium, IMediumStorage? storage = null)
    {
        var layout = new MediumLayout(medium.Path);
        var store = new YamlSlotStore(storage ?? new PosixMediumStorage(), layout);
        store.Initialize(SlotRecord.Initial(Good), Now);
        return (layout, store);
    }

    [Fact]
    public void The_memory_storage_the_properties_use_writes_the_same_files_as_the_real_one()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        var memory = new MemoryMediumStorage();
        var scenario = SlotArbitraries.ScenarioGen.Where(s => s.Steps.Count > 30).Sample(50, 1).First();
        var (layout, real) = Init(medium);
        var fake = new YamlSlotStore(memory, layout);
        fake.Initialize(SlotRecord.Initial(Good), Now);
        foreach (var f in new Scenario(2, scenario.Steps).Run())
        {
            if (f.Transition is { } t)
            {
                real.Commit(t);
                fake.Commit(t);
            }
        }

        var onDisk = Directory.EnumerateFiles(layout.BootSafe).Where(p => Path.GetFileName(p) != "lock").Order().ToList();
        Assert.Equal(onDisk, memory.Files.Keys.Order());
        foreach (var path in onDisk)
        {
            Assert.Equal(File.ReadAllBytes(path), memory.Files[path]);
        }
    }

    [Fact]
    public void A_committed_transition_is_what_a_fresh_load_sees()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        var (_, store) = Init(medium);
        var loaded = store.Load();
        Assert.Null(loaded.Recovery);
        var t = SlotMachine.Fire(loaded.Record, new Stage(Next), Now);
        store.Commit(t);
        Assert.Contains(new ArmBootOnce(Next), t.Actions);

        Assert.Equal(SlotState.Staged, store.Load().Record.State);
        Assert.True(store.History.Verify(store.Load().Record).Ok);
    }

    [Fact]
    public void A_refused_event_changes_no_state_and_leaves_a_history_line_with_its_reason()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        var (layout, _) = Init(medium);
        var before = Snapshot(layout);
        var store = new YamlSlotStore(new PosixMediumStorage(), layout);
        var record = store.Load().Record;
        using (var session = MediumSession.Open(layout, new PosixMediumStorage(), TimeSpan.FromSeconds(1)))
        {
            Assert.Throws<TransitionRefusedException>(() => session.Fire(new HealthPassed(), Now));
        }

        var after = Snapshot(layout);
        Assert.Equal(before.Where(kv => !kv.Key.EndsWith("history.log", StringComparison.Ordinal)), after.Where(kv => !kv.Key.EndsWith("history.log", StringComparison.Ordinal)));
        Assert.Equal(record, store.Load().Record);
        var last = store.History.ReadLines(out _)[^1].Entry!;
        Assert.Equal(HistoryLog.RefusedTrigger, last.Trigger);
        Assert.Equal("HealthPassed", last.Event);
        Assert.Contains("cannot take a health verdict", last.Reason, StringComparison.Ordinal);
        Assert.Equal(record.Generation, last.Generation);
        var verdict = store.History.Verify(record);
        Assert.True(verdict.Ok, string.Join("; ", verdict.Problems));
    }

    [Fact]
    public void A_second_holder_waits_a_bounded_time_then_fails_clearly()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        var (layout, _) = Init(medium);
        using var first = MediumSession.Open(layout, new PosixMediumStorage(), TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<OperationFailedException>(() => MediumSession.Open(layout, new PosixMediumStorage(), TimeSpan.FromMilliseconds(300)));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(5));
        Assert.Contains("another webc-bootsafe holds", e.Message);
        Assert.Contains(layout.LockFile, e.Message);
    }

    [Fact]
    public void The_lock_is_free_again_once_the_holder_is_gone()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        var (layout, _) = Init(medium);
        MediumSession.Open(layout, new PosixMediumStorage(), TimeSpan.FromSeconds(1)).Dispose();
        using var again = MediumSession.Open(layout, new PosixMediumStorage(), TimeSpan.Zero);
        Assert.Equal(SlotState.Stable, again.Record.State);
    }

    [Fact]
    public void A_corrupted_state_file_is_rebuilt_from_the_previous_generation_and_the_history_and_says_so()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        var (layout, store) = Init(medium);
        var t = SlotMachine.Fire(store.Load().Record, new Stage(Next), Now);
        store.Commit(t);
        var bytes = File.ReadAllBytes(layout.StateFile);
        bytes[bytes.Length / 2] ^= 0x20;
        File.WriteAllBytes(layout.StateFile, bytes);

        var load = store.Load();
        Assert.Equal(t.After, load.Record); // recovery never goes backwards: .prev + the history's last line
        Assert.Contains("checksum mismatch", load.Recovery);
        Assert.Contains($"rebuilt generation {t.After.Generation} by replaying 1 verified line(s)", load.Recovery);
    }

    [Fact]
    public void An_uninitialized_medium_fails_clearly()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        var store = new YamlSlotStore(new PosixMediumStorage(), new MediumLayout(medium.Path));
        Assert.Contains("never initialized", Assert.Throws<OperationFailedException>(() => store.Load()).Message);
    }

    [Fact]
    public void A_power_cut_between_history_append_and_state_replace_keeps_the_appended_transition()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        var (layout, store) = Init(medium);
        var appended = SlotMachine.Fire(store.Load().Record, new Stage(Next), Now);
        store.History.Append(appended); // the cut: state.yaml never replaced

        // The history line is the commit point (docs/crash-safety.md, "What a boot writes"): the load
        // replays it onto state.yaml, and the next commit builds on it.
        var load = store.Load();
        Assert.Equal(appended.After, load.Record);
        Assert.True(store.History.Verify(load.Record).Ok);

        store.Commit(SlotMachine.Fire(load.Record, new Stage(Scenario.Revisions[2]), Now.AddMinutes(1)));
        var after = store.History.Verify(store.Load().Record);
        Assert.True(after.Ok, string.Join("; ", after.Problems));
        Assert.Equal(Scenario.Revisions[2], after.Replayed!.Trial);
        Assert.Equal(3, after.Lines);
        Assert.Equal(after.Replayed, new YamlSlotStore(new PosixMediumStorage(), layout).Load().Record);
    }

    [Fact]
    public void A_boot_finds_its_journal_lines_at_the_end_of_a_long_history_and_says_where_a_bad_one_is()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        var (layout, store) = Init(medium);
        var record = store.Load().Record;
        for (var i = 0; i < 2000; i++)
        {
            store.RecordRefusal(record, "Fetch", Next.Sha, $"refused for the {i}th time: not signed", Now.AddMinutes(i));
        }

        Assert.True(new FileInfo(layout.HistoryFile).Length > HistoryLog.MaxTailBytes / 64, "the history is longer than the first window");
        var boots = new List<Transition>();
        for (var i = 0; i < 3; i++)
        {
            var boot = SlotMachine.Fire(store.Load().Record, new BootObserved(Good), Now.AddDays(1 + i));
            store.Commit(boot);
            boots.Add(boot);
        }

        var fresh = new YamlSlotStore(new PosixMediumStorage(), layout);
        var load = fresh.Load();
        Assert.Equal(boots[^1].After, load.Record);
        Assert.Null(load.Recovery);

        // A flipped byte in the newest line: the journal stops before it, and the doubt counts from the end.
        var bytes = File.ReadAllBytes(layout.HistoryFile);
        bytes[^20] ^= 0x01;
        File.WriteAllBytes(layout.HistoryFile, bytes);
        var damaged = new YamlSlotStore(new PosixMediumStorage(), layout).Load();
        Assert.Equal(boots[^2].After, damaged.Record);
        Assert.Contains("line 1 from the end", damaged.Recovery);
    }

    [Fact]
    public void A_commit_reads_the_end_of_the_history_not_all_of_it()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        var (layout, store) = Init(medium);
        store.Commit(SlotMachine.Fire(store.Load().Record, new Stage(Next), Now));
        var lines = File.ReadAllBytes(layout.HistoryFile);

        // Years of history in front, as a 3 GiB hole: reading all of it (or more than 2 GiB into one
        // array) fails, so the commit passes only if it reads from the end.
        using (var file = new FileStream(layout.HistoryFile, FileMode.Create, FileAccess.Write))
        {
            file.SetLength(3L << 30);
            file.Seek(0, SeekOrigin.End);
            file.Write("\n"u8);
            file.Write(lines);
        }

        var boot = SlotMachine.Fire(store.Load().Record, new BootObserved(Next, "trial"), Now.AddMinutes(1));
        store.Commit(boot);

        var tail = ReadLastLines(layout.HistoryFile, 2);
        using var before = System.Text.Json.JsonDocument.Parse(tail[0]);
        using var after = System.Text.Json.JsonDocument.Parse(tail[1]);
        Assert.Equal(before.RootElement.GetProperty("hash").GetString(), after.RootElement.GetProperty("prev").GetString());
        Assert.Equal(before.RootElement.GetProperty("seq").GetInt64() + 1, after.RootElement.GetProperty("seq").GetInt64());
        Assert.Equal(boot.After, new YamlSlotStore(new PosixMediumStorage(), layout).Load().Record);
    }

    private static string[] ReadLastLines(string path, int count)
    {
        using var file = File.OpenRead(path);
        var window = (int)Math.Min(file.Length, 64 * 1024);
        file.Seek(-window, SeekOrigin.End);
        var buffer = new byte[window];
        file.ReadExactly(buffer);
        return Encoding.UTF8.GetString(buffer).TrimEnd('\n').Split('\n')[^count..];
    }

    [Fact]
    public void A_history_that_is_not_a_regular_file_leaves_state_yaml_in_charge()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        var (layout, store) = Init(medium);
        var staged = SlotMachine.Fire(store.Load().Record, new Stage(Next), Now);
        store.Commit(staged);
        File.Delete(layout.HistoryFile);
        File.CreateSymbolicLink(layout.HistoryFile, "/dev/zero");

        Assert.Equal(staged.After, new YamlSlotStore(new PosixMediumStorage(), layout).Load().Record);
    }

    [Fact]
    public void A_state_file_that_is_a_device_is_one_damaged_copy_not_a_read_until_memory_runs_out()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        var (layout, store) = Init(medium);
        var staged = SlotMachine.Fire(store.Load().Record, new Stage(Next), Now);
        store.Commit(staged);
        File.Delete(layout.StateFile);
        File.CreateSymbolicLink(layout.StateFile, "/dev/zero");

        var load = new YamlSlotStore(new PosixMediumStorage(), layout).Load();

        Assert.Equal(staged.After, load.Record);
        Assert.Contains("not a regular file", load.Recovery);
    }

    [Fact]
    public void A_torn_last_append_is_ignored_by_verify_and_cut_off_by_the_next_append()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        var (layout, store) = Init(medium);
        File.AppendAllText(layout.HistoryFile, "{\"seq\":2,\"at\":\"20");
        Assert.True(store.History.Verify(store.Load().Record).Ok);

        store.Commit(SlotMachine.Fire(store.Load().Record, new Stage(Next), Now));
        var verdict = store.History.Verify(store.Load().Record);
        Assert.True(verdict.Ok, string.Join("; ", verdict.Problems));
        Assert.Empty(verdict.Notes);
        Assert.Equal(2, File.ReadAllLines(layout.HistoryFile).Length);
    }

    [Fact]
    public void Reinitializing_starts_a_new_lineage_that_verify_replays_from_the_last_init()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        var (layout, store) = Init(medium);
        store.Commit(SlotMachine.Fire(store.Load().Record, new Stage(Next), Now));
        store.Initialize(SlotRecord.Initial(Next), Now.AddHours(1));

        var load = store.Load();
        Assert.Equal(SlotRecord.Initial(Next), load.Record);
        var verdict = store.History.Verify(load.Record);
        Assert.True(verdict.Ok, string.Join("; ", verdict.Problems));
        Assert.Equal(3, verdict.Lines);
    }

    [Fact]
    public void The_state_file_is_readable_yaml_with_its_checksum_last()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        var (layout, _) = Init(medium);
        var text = File.ReadAllText(layout.StateFile, Encoding.UTF8);
        Assert.Contains($"known_good: {Good.Sha}\n", text);
        Assert.Contains("state: Stable\n", text);
        Assert.Matches("\nchecksum: sha256:[0-9a-f]{64}\n$", text);
    }

    private static Dictionary<string, string> Snapshot(MediumLayout layout) =>
        Directory.EnumerateFiles(layout.BootSafe).Where(p => p != layout.LockFile).ToDictionary(p => p, p => Convert.ToHexString(File.ReadAllBytes(p)));
}
