using Webc.BootSafe.Specs.Support;
using FsCheck.Xunit;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Specs.StateMachine;

/// <summary>Unfail: an operator lifts a wrongly failed revision; in the machine and through the history.</summary>
public sealed class UnfailSpecs
{
    private static readonly Revision Good = Scenario.Revisions[0];
    private static readonly Revision Next = Scenario.Revisions[1];
    private static readonly Revision Other = Scenario.Revisions[2];
    private static readonly DateTimeOffset Now = new(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private static SlotRecord RolledBack()
    {
        var r = SlotRecord.Initial(Good);
        foreach (SlotEvent e in new SlotEvent[] { new Stage(Next), new BootObserved(Next, "trial"), new HealthFailed("no browser") })
        {
            r = SlotMachine.Fire(r, e, Now).After;
        }

        return r;
    }

    [Fact]
    public void Unfail_in_RolledBack_lifts_the_revision_stays_RolledBack_and_owes_no_action()
    {
        var before = RolledBack();
        var t = SlotMachine.Fire(before, new Unfail(Next, "the network was down, not the browser"), Now);
        Assert.Equal(before with { Failed = [], Generation = before.Generation + 1 }, t.After);
        Assert.Empty(t.Actions);
        Assert.Contains("the network was down", t.Reason);
        Assert.Equal(SlotState.Staged, SlotMachine.Fire(t.After, new Stage(Next), Now).After.State);
    }

    [Fact]
    public void Unfail_of_a_revision_not_in_the_failed_set_is_refused_naming_it()
    {
        var e = Assert.Throws<TransitionRefusedException>(() => SlotMachine.Fire(RolledBack(), new Unfail(Other, "x"), Now));
        Assert.Contains(Other.Sha, e.Message);
        Assert.Contains("not in the failed set", e.Message);
        Assert.Equal(e.Message, SlotRules.Refusal(RolledBack(), new Unfail(Other, "x")));
        Assert.Null(SlotRules.Refusal(RolledBack(), new Unfail(Next, "x")));
    }

    [Theory]
    [InlineData(SlotState.Staged)]
    [InlineData(SlotState.Trying)]
    public void Unfail_while_a_trial_is_out_keeps_the_trial_armed(SlotState state)
    {
        var staged = SlotMachine.Fire(RolledBack(), new Stage(Other), Now).After;
        var record = state == SlotState.Staged ? staged : SlotMachine.Fire(staged, new BootObserved(Other, "trial"), Now).After;
        var t = SlotMachine.Fire(record, new Unfail(Next, "wrongly failed"), Now);
        Assert.Equal(record with { Failed = [], Generation = record.Generation + 1 }, t.After);
        Assert.Empty(t.Actions);
    }

    /// <summary>Over every record a random life reaches: Unfail changes the failed set and nothing else, or is refused.</summary>
    [Property(Arbitrary = [typeof(SlotArbitraries)], MaxTest = 2_000)]
    public void Unfail_changes_only_the_failed_set_in_every_reachable_record(Scenario scenario)
    {
        foreach (var r in scenario.Run().Select(f => f.Transition?.After ?? f.Before))
        {
            foreach (var revision in Scenario.Revisions)
            {
                if (!r.HasFailed(revision))
                {
                    Assert.Contains("not in the failed set", Assert.Throws<TransitionRefusedException>(() => SlotMachine.Fire(r, new Unfail(revision, "r"), Now)).Message);
                    continue;
                }

                var t = SlotMachine.Fire(r, new Unfail(revision, "r"), Now);
                Assert.Equal(r with { Failed = r.Failed.RemoveAll(f => f.Revision == revision), Generation = r.Generation + 1 }, t.After);
                Assert.Empty(t.Actions);
            }
        }
    }

    [Fact]
    public void Unfail_is_recorded_in_the_history_and_replays_to_the_current_record()
    {
        using var medium = new TempDirectory("bootsafe-sm");
        var store = new YamlSlotStore(new PosixMediumStorage(), new MediumLayout(medium.Path));
        store.Initialize(SlotRecord.Initial(Good), Now);
        foreach (SlotEvent e in new SlotEvent[]
                 {
                     new Stage(Next), new BootObserved(Next, "trial"), new HealthFailed("no browser"),
                     new Unfail(Next, "colon: \"quoted\" ünïcødé\nsecond line"), new Stage(Next),
                 })
        {
            store.Commit(SlotMachine.Fire(store.Load().Record, e, Now));
        }

        var current = store.Load().Record;
        Assert.Equal(SlotState.Staged, current.State);
        Assert.Empty(current.Failed);
        var verdict = store.History.Verify(current);
        Assert.True(verdict.Ok, string.Join("; ", verdict.Problems));
        Assert.Equal(current, verdict.Replayed);

        var line = store.History.ReadLines(out _).Select(l => l.Entry!).Single(x => x.Trigger == "Unfail");
        Assert.Equal(Next.Sha, line.Revision);
        Assert.Equal("colon: \"quoted\" ünïcødé\nsecond line", line.Cause);
        Assert.Equal("RolledBack", line.From);
        Assert.Equal("RolledBack", line.To);
    }
}
