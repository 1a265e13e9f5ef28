using FsCheck.Xunit;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.StateMachine;

/// <summary>
/// The store and history over 10,000 random lives each (in memory: the real storage is checked
/// against the memory one in <see cref="StoreSpecs"/>).
/// </summary>
[Properties(Arbitrary = [typeof(SlotArbitraries)], MaxTest = 10_000)]
public sealed class StoreProperties
{
    private static readonly MediumLayout Layout = new("/medium");

    /// <summary>Initializes a memory medium and commits every accepted transition of the life.</summary>
    internal static (MemoryMediumStorage Storage, YamlSlotStore Store, List<SlotRecord> Records) Live(Scenario scenario)
    {
        var storage = new MemoryMediumStorage();
        var store = new YamlSlotStore(storage, Layout);
        var initial = SlotRecord.Initial(Scenario.Revisions[0], scenario.MaxTrialBoots);
        store.Initialize(initial, Scenario.Start);
        var records = new List<SlotRecord> { initial };
        foreach (var f in scenario.Run())
        {
            if (f.Transition is { } t)
            {
                store.Commit(t);
                records.Add(t.After);
            }
        }

        return (storage, store, records);
    }

    [Property]
    public void Every_reachable_record_round_trips_through_the_store_unchanged(Scenario scenario)
    {
        var storage = new MemoryMediumStorage();
        var store = new YamlSlotStore(storage, Layout);
        store.Initialize(SlotRecord.Initial(Scenario.Revisions[0], scenario.MaxTrialBoots), Scenario.Start);
        foreach (var f in scenario.Run())
        {
            if (f.Transition is { } t)
            {
                store.Commit(t);
                var load = store.Load();
                Assert.Null(load.Recovery);
                Assert.Equal(t.After, load.Record);
            }
        }
    }

    [Property]
    public void A_cut_or_changed_state_file_is_rebuilt_from_the_previous_generation_and_the_history_or_fails_clearly(Damaged damaged)
    {
        var (storage, store, records) = Live(damaged.Scenario);
        var current = records[^1];
        storage.Put(Layout.StateFile, damaged.Apply(storage.ReadAllBytes(Layout.StateFile)));

        // Recovery never goes backwards: the history's last line rebuilds the newest record on .prev.
        var load = store.Load();
        Assert.NotNull(load.Recovery);
        Assert.Null(load.Doubt);
        Assert.Equal(current, load.Record);

        // With both generations damaged there is nothing to trust: a clear failure, never a record.
        storage.Put(Layout.PreviousStateFile, damaged.Apply(storage.ReadAllBytes(Layout.PreviousStateFile)));
        var error = Assert.Throws<OperationFailedException>(() => store.Load());
        Assert.Contains("no readable slot record", error.Message);
        Assert.Contains("kernel command line", error.Message);
    }

    [Property]
    public void Replaying_the_history_from_init_reproduces_the_current_record(Scenario scenario)
    {
        var (_, store, records) = Live(scenario);
        var verdict = store.History.Verify(store.Load().Record);
        Assert.True(verdict.Ok, string.Join("; ", verdict.Problems));
        Assert.Empty(verdict.Notes);
        Assert.Equal(records[^1], verdict.Replayed);
        Assert.Equal(records.Count, verdict.Lines);
    }

    [Property]
    public void Changing_any_line_of_the_history_makes_verify_fail(Damaged damaged)
    {
        var (storage, store, _) = Live(damaged.Scenario);
        storage.Put(Layout.HistoryFile, damaged.Apply(storage.ReadAllBytes(Layout.HistoryFile)));
        var load = store.Load();
        var verdict = store.History.Verify(load.Record);

        // A boot is committed by its history line alone (issue 17, crash-safety.md "What a boot
        // writes"): a cut that removes only such lines newer than state.yaml, or a changed last
        // newline that tears the last one, looks exactly like a power cut before their fsync, and the
        // record then is state.yaml's plus the journal lines left, which verifies. Anything else is noticed.
        var tornLast = verdict.Notes.Any(n => n.Contains("torn append", StringComparison.Ordinal));
        var cutJournalOnly = (damaged.Cut || tornLast) && verdict.Ok
            && load.Record.Generation >= StateFileCodec.Decode(storage.ReadAllBytes(Layout.StateFile)).Generation;
        Assert.True(!verdict.Ok || cutJournalOnly, $"damage went unnoticed; notes: {string.Join("; ", verdict.Notes)}");
    }
}
