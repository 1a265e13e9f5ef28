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
}
