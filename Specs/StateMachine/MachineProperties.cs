using FsCheck.Xunit;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Specs.StateMachine;

/// <summary>
/// Model-based properties over 10,000 random lives of up to 50 triggers each. A failure prints the
/// scenario and FsCheck's replay seed.
/// </summary>
[Properties(Arbitrary = [typeof(SlotArbitraries)], MaxTest = 10_000)]
public sealed class MachineProperties
{
    [Property]
    public void Known_good_changes_only_on_HealthPassed_in_Trying_and_then_to_exactly_the_trial(Scenario scenario)
    {
        foreach (var f in scenario.Run())
        {
            if (f.Transition is not { } t)
            {
                continue;
            }

            if (f.Event is HealthPassed)
            {
                Assert.Equal(SlotState.Trying, t.Before.State);
                Assert.Equal(t.Before.Trial, t.After.KnownGood);
                Assert.Equal(t.Before.KnownGood, t.After.Previous);
                Assert.Equal(SlotState.Stable, t.After.State);
            }
            else
            {
                Assert.Equal(t.Before.KnownGood, t.After.KnownGood);
            }
        }
    }

    [Property]
    public void The_trial_never_boots_more_than_its_budget_without_HealthPassed(Scenario scenario)
    {
        var boots = 0;
        foreach (var f in scenario.Run())
        {
            var t = f.Transition;
            if (f.Event is Stage && t is not null)
            {
                boots = 0;
            }
            else if (f.Event is BootObserved b && b.Revision == f.Before.Trial)
            {
                boots++;
                if (boots > f.Before.MaxTrialBoots)
                {
                    Assert.Equal(SlotState.RolledBack, t!.After.State);
                    Assert.Contains(t.Actions, a => a is DisarmBootOnce);
                    Assert.Contains(t.Actions, a => a is Reboot);
                }
            }

            var after = t?.After ?? f.Before;
            if (after.Trial is not null)
            {
                Assert.True(boots <= after.MaxTrialBoots, $"trial {after.Trial} still {after.State} after {boots} boots (budget {after.MaxTrialBoots})");
            }
        }
    }

    [Property]
    public void A_failed_revision_is_never_staged_again_unless_forced(Scenario scenario)
    {
        foreach (var f in scenario.Run())
        {
            if (f.Event is Stage s && f.Before.HasFailed(s.Revision))
            {
                if (s.Force)
                {
                    Assert.True(f.Transition is not null || f.Before.State is SlotState.Staged or SlotState.Trying, f.Refusal);
                }
                else
                {
                    Assert.Null(f.Transition);
                    if (f.Before.State is SlotState.Stable or SlotState.RolledBack)
                    {
                        Assert.Contains("failed before", f.Refusal);
                    }
                }
            }
        }
    }

    [Property]
    public void Every_record_keeps_the_slot_invariants(Scenario scenario)
    {
        foreach (var f in scenario.Run())
        {
            var r = f.Transition?.After ?? f.Before;
            Assert.Equal(r.State is SlotState.Staged or SlotState.Trying, r.Trial is not null);
            Assert.NotEqual(r.KnownGood, r.Trial);
            Assert.DoesNotContain(r.Failed, x => x.Revision == r.KnownGood);
            // Over budget, the count that tripped the rollback stays on record: one more than allowed.
            Assert.InRange(r.TrialBoots, 0, r.Trial is null ? r.MaxTrialBoots + 1 : r.MaxTrialBoots);
            if (f.Transition is { } t)
            {
                Assert.Equal(t.Before.Generation + 1, t.After.Generation);
            }
        }
    }

    /// <summary>
    /// Issue 16: a known-good that does not come up is not booted forever while previous could be
    /// tried. Counted boots reach the budget, the next known-good boot arms previous once and reboots;
    /// previous is then set, not known-good and not failed; known-good itself never moves for it.
    /// </summary>
    [Property]
    public void A_known_good_that_does_not_come_up_turns_to_a_bootable_previous_and_stays_known_good(Scenario scenario)
    {
        foreach (var f in scenario.Run())
        {
            var before = f.Before;
            var turns = f.Event is BootObserved b && b.Revision == before.KnownGood
                && before.State is SlotState.Stable or SlotState.RolledBack
                && before.UnconfirmedKnownGoodBoots >= SlotRecord.KnownGoodBootBudget
                && SlotRules.PreviousToTry(before) is not null;
            if (turns)
            {
                var t = Assert.IsType<Transition>(f.Transition);
                var armed = Assert.IsType<ArmBootOnce>(t.Actions[0]);
                Assert.Equal((before.Previous!.Value, SlotLabel.Previous), (armed.Revision, armed.Label));
                Assert.IsType<Reboot>(Assert.Single(t.Actions, a => a is Reboot));
                Assert.Equal((before.State, before.KnownGood, before.Previous, 0), (t.After.State, t.After.KnownGood, t.After.Previous, t.After.UnconfirmedKnownGoodBoots));
            }

            if (f.Transition is not { } tr)
            {
                continue;
            }

            foreach (var arm in tr.Actions.OfType<ArmBootOnce>().Where(a => a.Label == SlotLabel.Previous))
            {
                Assert.True(turns, $"previous armed by {f.Event} on {before.State} with {before.UnconfirmedKnownGoodBoots} counted boots");
                Assert.NotEqual(tr.After.KnownGood, arm.Revision);
                Assert.False(tr.After.HasFailed(arm.Revision));
            }

            // While previous can be tried, known-good never boots more than the budget + 1 in a row unseen.
            if (SlotRules.PreviousToTry(tr.After) is not null && tr.After.State is SlotState.Stable or SlotState.RolledBack
                && before.UnconfirmedKnownGoodBoots <= SlotRecord.KnownGoodBootBudget)
            {
                Assert.InRange(tr.After.UnconfirmedKnownGoodBoots, 0, SlotRecord.KnownGoodBootBudget);
            }

            switch (f.Event)
            {
                case KnownGoodCameUp:
                    Assert.Equal(before with { UnconfirmedKnownGoodBoots = 0, Generation = before.Generation + 1 }, tr.After);
                    break;
                case HealthPassed:
                    Assert.Equal(0, tr.After.UnconfirmedKnownGoodBoots);
                    break;
                case BootObserved o when !turns && o.Revision == before.KnownGood && SlotRules.Classify(before, o.Revision) == BootKind.Recorded:
                    Assert.Equal(before.UnconfirmedKnownGoodBoots + 1, tr.After.UnconfirmedKnownGoodBoots);
                    break;
                case BootObserved:
                    break;
                default:
                    Assert.Equal(before.UnconfirmedKnownGoodBoots, tr.After.UnconfirmedKnownGoodBoots);
                    break;
            }
        }

        foreach (var f in scenario.Run().Where(f => f.Event is KnownGoodCameUp && f.Before.UnconfirmedKnownGoodBoots == 0))
        {
            Assert.Null(f.Transition);
            Assert.Contains("nothing to reset", f.Refusal);
        }
    }

    /// <summary>
    /// Issue 18: a newer stage replaces a staged trial (Staged to Staged). The replaced trial is not
    /// failed, is never armed as the trial again and never counts as the trial when it boots, until it is
    /// staged again (it may still be armed as previous, if it was once known-good).
    /// </summary>
    [Property]
    public void A_replaced_trial_is_never_armed_nor_failed_nor_booted_as_the_trial(Scenario scenario)
    {
        var replaced = new HashSet<Revision>();
        foreach (var f in scenario.Run())
        {
            if (f.Transition is not { } t)
            {
                continue;
            }

            if (f.Event is Stage s)
            {
                replaced.Remove(s.Revision);
                if (t.Before.State == SlotState.Staged)
                {
                    var old = t.Before.Trial!.Value;
                    Assert.NotEqual(old, s.Revision);
                    Assert.Equal(t.Before.Failed, t.After.Failed);
                    Assert.Equal(SlotState.Staged, t.After.State);
                    Assert.IsType<DisarmBootOnce>(t.Actions[0]);
                    replaced.Add(old);
                }
            }

            // (previous may be armed: a replaced trial that was an earlier known-good stays a fallback.)
            Assert.DoesNotContain(t.Actions.OfType<ArmBootOnce>(), a => a.Label == SlotLabel.Trial && replaced.Contains(a.Revision));
            if (f.Event is BootObserved b && replaced.Contains(b.Revision))
            {
                Assert.DoesNotContain(SlotRules.Classify(f.Before, b.Revision), new[] { BootKind.TrialWithinBudget, BootKind.TrialOverBudget });
            }

            Assert.True(t.After.Trial is not { } trial || !replaced.Contains(trial));
            Assert.DoesNotContain(t.After.Failed, x => replaced.Contains(x.Revision) && !t.Before.HasFailed(x.Revision));
        }
    }
}
