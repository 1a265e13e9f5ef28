using System.Collections.Immutable;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.StateMachine.Machine;

/// <summary>What an allowed event does to the record's fields and which actions it owes.</summary>
internal static class SlotEffects
{
    internal sealed record Effect(SlotRecord Record, ImmutableList<SlotAction> Actions, string Reason);

    public static Effect Of(SlotRecord r, SlotEvent e, DateTimeOffset now) => e switch
    {
        Stage s => new Effect(
            // A forced re-stage keeps the earlier failure on record until the trial is promoted, so an
            // unstaged retry still needs --force next time.
            r with { Trial = s.Revision, TrialBoots = 0 },
            [new WriteBootEntries(r.KnownGood, s.Revision, r.Previous), new ArmBootOnce(s.Revision)],
            s.Force && r.HasFailed(s.Revision) ? "staged (forced over an earlier failure)" : "staged"),
        Unstage => new Effect(
            r with { Trial = null, TrialBoots = 0 },
            [new DisarmBootOnce(), new WriteBootEntries(r.KnownGood, null, r.Previous)],
            "unstaged"),
        HealthPassed => new Effect(
            r with
            {
                KnownGood = r.Trial!.Value,
                Previous = r.KnownGood,
                Trial = null,
                TrialBoots = 0,
                Failed = r.Failed.RemoveAll(f => f.Revision == r.Trial!.Value),
            },
            [new DisarmBootOnce(), new WriteBootEntries(r.Trial!.Value, null, r.KnownGood)],
            "health passed: trial promoted to known-good"),
        HealthFailed f => RollBack(r, $"health failed: {f.Reason}", now, reboot: true),
        BootObserved b => Boot(r, b, now),
        _ => throw new ArgumentOutOfRangeException(nameof(e)),
    };

    private static Effect Boot(SlotRecord r, BootObserved b, DateTimeOffset now)
    {
        var seen = r with { LastBoot = new ObservedBoot(b.Revision, b.Slot, now) };
        return SlotRules.Classify(r, b.Revision) switch
        {
            BootKind.TrialWithinBudget => new Effect(
                seen with { TrialBoots = r.TrialBoots + 1 }, [], $"trial boot {r.TrialBoots + 1} of {r.MaxTrialBoots}"),
            BootKind.TrialOverBudget => RollBack(
                seen with { TrialBoots = r.TrialBoots + 1 },
                $"trial booted {r.TrialBoots + 1} times without a health verdict (budget {r.MaxTrialBoots})",
                now,
                reboot: true),
            BootKind.KnownGoodWithAttemptsLeft => new Effect(
                seen with { TrialBoots = SlotRules.UsedAttempts(r) },
                [new ArmBootOnce(r.Trial!.Value)],
                $"known-good came up instead of the trial (attempt {SlotRules.UsedAttempts(r)} of {r.MaxTrialBoots}): re-armed"),
            BootKind.KnownGoodAttemptsUsed => RollBack(
                seen with { TrialBoots = SlotRules.UsedAttempts(r) },
                $"trial did not come up in {r.MaxTrialBoots} attempt(s)",
                now,
                reboot: false),
            BootKind.FailedRevision => new Effect(
                seen,
                [new DisarmBootOnce(), new Reboot($"failed revision {b.Revision.Short} booted; back to known-good")],
                "a failed revision booted again (boot-once not consumed?): disarmed"),
            _ => new Effect(seen, [], b.Revision == r.KnownGood ? "known-good booted" : "other revision booted: recorded only"),
        };
    }

    private static Effect RollBack(SlotRecord r, string reason, DateTimeOffset now, bool reboot)
    {
        var trial = r.Trial!.Value;
        var after = r with
        {
            Trial = null,
            Failed = r.Failed.RemoveAll(f => f.Revision == trial).Add(new FailedRevision(trial, reason, now)),
        };
        ImmutableList<SlotAction> actions = [new DisarmBootOnce(), new WriteBootEntries(r.KnownGood, null, r.Previous)];
        return new Effect(after, reboot ? actions.Add(new Reboot(reason)) : actions, "rolled back: " + reason);
    }
}
