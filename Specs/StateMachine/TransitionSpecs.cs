using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Specs.StateMachine;

/// <summary>One spec per transition of docs/state-machine.md's table, refusals included.</summary>
public sealed class TransitionSpecs
{
    private static readonly Revision Good = Revision.Parse(new string('a', 40));
    private static readonly Revision Next = Revision.Parse(new string('b', 40));
    private static readonly Revision Other = Revision.Parse(new string('c', 40));
    private static readonly DateTimeOffset Now = new(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private static SlotRecord Stable(int max = 1) => SlotRecord.Initial(Good, max);

    private static SlotRecord Staged(int max = 1) => SlotMachine.Fire(Stable(max), new Stage(Next), Now).After;

    private static SlotRecord Trying(int max = 1) => SlotMachine.Fire(Staged(max), new BootObserved(Next, "trial"), Now).After;

    private static SlotRecord RolledBack() => SlotMachine.Fire(Trying(), new HealthFailed("no browser"), Now).After;

    [Fact]
    public void Stage_from_Stable_goes_to_Staged_with_no_boots_and_arms_the_trial()
    {
        var t = SlotMachine.Fire(Stable(), new Stage(Next), Now);
        Assert.Equal(SlotState.Staged, t.After.State);
        Assert.Equal(Next, t.After.Trial);
        Assert.Equal(0, t.After.TrialBoots);
        Assert.Equal(2, t.After.Generation);
        Assert.Equal([new WriteBootEntries(Good, Next, null), new ArmBootOnce(Next)], t.Actions);
    }

    [Fact]
    public void Stage_from_RolledBack_goes_to_Staged()
    {
        var t = SlotMachine.Fire(RolledBack(), new Stage(Other), Now);
        Assert.Equal(SlotState.Staged, t.After.State);
        Assert.Equal(Other, t.After.Trial);
    }

    [Fact]
    public void Stage_of_the_known_good_is_refused_naming_it()
    {
        var e = Assert.Throws<TransitionRefusedException>(() => SlotMachine.Fire(Stable(), new Stage(Good), Now));
        Assert.Contains(Good.Sha, e.Message);
        Assert.Contains("already the known-good", e.Message);
    }

    [Fact]
    public void Stage_of_a_failed_revision_is_refused_unless_forced()
    {
        var e = Assert.Throws<TransitionRefusedException>(() => SlotMachine.Fire(RolledBack(), new Stage(Next), Now));
        Assert.Contains("failed before", e.Message);
        Assert.Contains("--force", e.Message);

        var forced = SlotMachine.Fire(RolledBack(), new Stage(Next, Force: true), Now);
        Assert.Equal(SlotState.Staged, forced.After.State);
        Assert.True(forced.After.HasFailed(Next), "the earlier failure stays on record until the trial is promoted");
    }

    [Fact]
    public void Stage_while_the_trial_is_trying_is_refused()
    {
        var e = Assert.Throws<TransitionRefusedException>(() => SlotMachine.Fire(Trying(), new Stage(Other), Now));
        Assert.Contains("unstage or confirm it first", e.Message);
    }

    [Fact]
    public void Stage_in_Staged_replaces_the_trial_disarming_first_and_does_not_fail_the_old_one()
    {
        var t = SlotMachine.Fire(Staged(), new Stage(Other), Now);
        Assert.Equal((SlotState.Staged, Other, 0), (t.After.State, t.After.Trial, t.After.TrialBoots));
        Assert.Equal([new DisarmBootOnce(), new WriteBootEntries(Good, Other, null), new ArmBootOnce(Other)], t.Actions);
        Assert.Empty(t.After.Failed);
        Assert.Contains($"replaced staged trial {Next.Short}", t.Reason);
    }

    [Fact]
    public void Stage_in_Staged_of_the_trial_itself_or_of_a_failed_revision_is_refused()
    {
        Assert.Contains("already the staged trial", Assert.Throws<TransitionRefusedException>(() => SlotMachine.Fire(Staged(), new Stage(Next), Now)).Message);
        Assert.Contains("already the known-good", Assert.Throws<TransitionRefusedException>(() => SlotMachine.Fire(Staged(), new Stage(Good), Now)).Message);
        var staged = SlotMachine.Fire(RolledBack(), new Stage(Other), Now).After;
        Assert.Contains("failed before", Assert.Throws<TransitionRefusedException>(() => SlotMachine.Fire(staged, new Stage(Next), Now)).Message);
        Assert.Equal(Next, SlotMachine.Fire(staged, new Stage(Next, Force: true), Now).After.Trial);
    }

    [Fact]
    public void Trial_boot_in_Staged_counts_and_goes_to_Trying()
    {
        var t = SlotMachine.Fire(Staged(), new BootObserved(Next, "trial"), Now);
        Assert.Equal(SlotState.Trying, t.After.State);
        Assert.Equal(1, t.After.TrialBoots);
        Assert.Empty(t.Actions);
        Assert.Equal(new ObservedBoot(Next, "trial", Now), t.After.LastBoot);
    }

    [Fact]
    public void Trial_boot_in_Trying_within_budget_stays_Trying()
    {
        var t = SlotMachine.Fire(Trying(max: 2), new BootObserved(Next, "trial"), Now);
        Assert.Equal(SlotState.Trying, t.After.State);
        Assert.Equal(2, t.After.TrialBoots);
    }

    [Fact]
    public void Trial_boot_beyond_the_budget_rolls_back_disarms_and_reboots()
    {
        var t = SlotMachine.Fire(Trying(), new BootObserved(Next, "trial"), Now);
        Assert.Equal(SlotState.RolledBack, t.After.State);
        Assert.Null(t.After.Trial);
        Assert.True(t.After.HasFailed(Next));
        Assert.Contains(new DisarmBootOnce(), t.Actions);
        Assert.Contains(t.Actions, a => a is Reboot);
    }

    [Fact]
    public void Known_good_boot_in_Staged_uses_an_attempt_and_re_arms_while_attempts_remain()
    {
        var t = SlotMachine.Fire(Staged(max: 2), new BootObserved(Good, "good"), Now);
        Assert.Equal(SlotState.Staged, t.After.State);
        Assert.Equal(1, t.After.TrialBoots);
        Assert.Equal([new ArmBootOnce(Next)], t.Actions);
    }

    [Fact]
    public void Known_good_boot_in_Staged_with_attempts_used_rolls_back_without_a_reboot()
    {
        var t = SlotMachine.Fire(Staged(), new BootObserved(Good, "good"), Now);
        Assert.Equal(SlotState.RolledBack, t.After.State);
        Assert.True(t.After.HasFailed(Next));
        Assert.Contains(new DisarmBootOnce(), t.Actions);
        Assert.DoesNotContain(t.Actions, a => a is Reboot);
    }

    [Fact]
    public void Known_good_boot_in_Trying_uses_no_extra_attempt_and_re_arms_while_attempts_remain()
    {
        var t = SlotMachine.Fire(Trying(max: 2), new BootObserved(Good, "good"), Now);
        Assert.Equal(SlotState.Staged, t.After.State);
        Assert.Equal(1, t.After.TrialBoots);
        Assert.Equal([new ArmBootOnce(Next)], t.Actions);
    }

    [Fact]
    public void Known_good_boot_in_Trying_with_attempts_used_rolls_back_with_the_trial_failed()
    {
        var t = SlotMachine.Fire(Trying(), new BootObserved(Good, "good"), Now);
        Assert.Equal(SlotState.RolledBack, t.After.State);
        Assert.Equal(Next, Assert.Single(t.After.Failed).Revision);
    }

    [Fact]
    public void HealthPassed_in_Trying_promotes_the_trial()
    {
        var t = SlotMachine.Fire(Trying(), new HealthPassed(), Now);
        Assert.Equal(SlotState.Stable, t.After.State);
        Assert.Equal(Next, t.After.KnownGood);
        Assert.Equal(Good, t.After.Previous);
        Assert.Null(t.After.Trial);
        Assert.Equal([new DisarmBootOnce(), new WriteBootEntries(Next, null, Good)], t.Actions);
    }

    [Fact]
    public void HealthPassed_of_a_force_staged_revision_clears_its_failure()
    {
        var staged = SlotMachine.Fire(RolledBack(), new Stage(Next, Force: true), Now).After;
        var trying = SlotMachine.Fire(staged, new BootObserved(Next, "trial"), Now).After;
        Assert.False(SlotMachine.Fire(trying, new HealthPassed(), Now).After.HasFailed(Next));
    }

    [Fact]
    public void HealthFailed_in_Trying_rolls_back_records_the_reason_and_reboots()
    {
        var t = SlotMachine.Fire(Trying(), new HealthFailed("no browser"), Now);
        Assert.Equal(SlotState.RolledBack, t.After.State);
        Assert.Equal(new FailedRevision(Next, "health failed: no browser", Now), Assert.Single(t.After.Failed));
        Assert.Equal(Good, t.After.KnownGood);
        Assert.Contains(t.Actions, a => a is Reboot);
    }

    [Theory]
    [InlineData(SlotState.Stable)]
    [InlineData(SlotState.Staged)]
    [InlineData(SlotState.RolledBack)]
    public void Health_verdicts_outside_Trying_are_refused(SlotState state)
    {
        var record = state switch { SlotState.Stable => Stable(), SlotState.Staged => Staged(), _ => RolledBack() };
        Assert.Contains("only a trial that booted", Assert.Throws<TransitionRefusedException>(() => SlotMachine.Fire(record, new HealthPassed(), Now)).Message);
        Assert.Throws<TransitionRefusedException>(() => SlotMachine.Fire(record, new HealthFailed("x"), Now));
    }

    [Fact]
    public void Unstage_in_Staged_goes_Stable_and_disarms()
    {
        var t = SlotMachine.Fire(Staged(), new Unstage(), Now);
        Assert.Equal(SlotState.Stable, t.After.State);
        Assert.Null(t.After.Trial);
        Assert.Contains(new DisarmBootOnce(), t.Actions);
    }

    [Theory]
    [InlineData(SlotState.Stable)]
    [InlineData(SlotState.Trying)]
    [InlineData(SlotState.RolledBack)]
    public void Unstage_outside_Staged_is_refused(SlotState state)
    {
        var record = state switch { SlotState.Stable => Stable(), SlotState.Trying => Trying(), _ => RolledBack() };
        Assert.Contains("cannot unstage", Assert.Throws<TransitionRefusedException>(() => SlotMachine.Fire(record, new Unstage(), Now)).Message);
    }

    [Theory]
    [InlineData(SlotState.Stable)]
    [InlineData(SlotState.Staged)]
    [InlineData(SlotState.Trying)]
    [InlineData(SlotState.RolledBack)]
    public void A_manual_boot_of_another_revision_is_recorded_and_changes_no_slot(SlotState state)
    {
        var record = state switch { SlotState.Stable => Stable(), SlotState.Staged => Staged(), SlotState.Trying => Trying(), _ => RolledBack() };
        var t = SlotMachine.Fire(record, new BootObserved(Other), Now);
        Assert.Equal(record with { LastBoot = new ObservedBoot(Other, null, Now), Generation = record.Generation + 1 }, t.After);
        Assert.Empty(t.Actions);
    }

    [Fact]
    public void Known_good_boot_with_nothing_armed_is_only_recorded()
    {
        var t = SlotMachine.Fire(Stable(), new BootObserved(Good, "good"), Now);
        Assert.Equal(SlotState.Stable, t.After.State);
        Assert.Empty(t.Actions);
    }

    [Fact]
    public void Known_good_boots_are_counted_until_it_comes_up()
    {
        var once = SlotMachine.Fire(Stable(), new BootObserved(Good, "good"), Now).After;
        var twice = SlotMachine.Fire(once, new BootObserved(Good, "good"), Now);
        Assert.Equal(2, twice.After.UnconfirmedKnownGoodBoots);
        Assert.Contains("last 1 boot(s) did not come up", twice.Reason);

        var up = SlotMachine.Fire(twice.After, new KnownGoodCameUp(), Now);
        Assert.Equal(twice.After with { UnconfirmedKnownGoodBoots = 0, Generation = twice.After.Generation + 1 }, up.After);
        Assert.Empty(up.Actions);
        Assert.Contains("nothing to reset", Assert.Throws<TransitionRefusedException>(() => SlotMachine.Fire(up.After, new KnownGoodCameUp(), Now)).Message);
    }

    [Fact]
    public void Known_good_with_its_budget_of_boots_never_coming_up_arms_previous_once_and_reboots()
    {
        var promoted = SlotMachine.Fire(Trying(), new HealthPassed(), Now).After;
        var counted = promoted with { UnconfirmedKnownGoodBoots = SlotRecord.KnownGoodBootBudget };

        var t = SlotMachine.Fire(counted, new BootObserved(Next, "good"), Now);

        Assert.Equal(SlotState.Stable, t.After.State);
        Assert.Equal((Next, (Revision?)Good, 0), (t.After.KnownGood, t.After.Previous, t.After.UnconfirmedKnownGoodBoots));
        Assert.Equal(new ArmBootOnce(Good, SlotLabel.Previous), t.Actions[0]);
        Assert.Contains(t.Actions, a => a is Reboot);
        Assert.Contains("did not come up in its last 3 boots", t.Reason);
    }

    [Fact]
    public void Without_a_previous_to_try_known_good_boots_on_and_keeps_counting()
    {
        var counted = Stable() with { UnconfirmedKnownGoodBoots = SlotRecord.KnownGoodBootBudget };
        var t = SlotMachine.Fire(counted, new BootObserved(Good, "good"), Now);
        Assert.Empty(t.Actions);
        Assert.Equal(SlotRecord.KnownGoodBootBudget + 1, t.After.UnconfirmedKnownGoodBoots);

        // A failed previous is not tried either.
        var promoted = SlotMachine.Fire(Trying(), new HealthPassed(), Now).After;
        var failedPrevious = promoted with
        {
            UnconfirmedKnownGoodBoots = SlotRecord.KnownGoodBootBudget,
            Failed = [new FailedRevision(Good, "bad", Now)],
        };
        Assert.Empty(SlotMachine.Fire(failedPrevious, new BootObserved(Next, "good"), Now).Actions);
    }

    [Fact]
    public void A_failed_revision_booting_with_nothing_armed_asks_for_disarm_and_reboot()
    {
        var t = SlotMachine.Fire(RolledBack(), new BootObserved(Next, "trial"), Now);
        Assert.Equal(SlotState.RolledBack, t.After.State);
        Assert.Contains(new DisarmBootOnce(), t.Actions);
        Assert.Contains(t.Actions, a => a is Reboot);
    }

    [Fact]
    public void The_graph_names_all_four_states_and_describes_its_guards()
    {
        var graph = Stateless.Graph.MermaidGraph.Format(SlotMachine.Describe().GetInfo());
        foreach (var state in Enum.GetNames<SlotState>())
        {
            Assert.Contains(state, graph);
        }

        Assert.DoesNotContain("Function", graph);
    }
}
