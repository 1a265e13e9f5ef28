using Webc.BootSafe.StateMachine.Slots;
using static Webc.BootSafe.StateMachine.Machine.MachineState;

namespace Webc.BootSafe.StateMachine.Machine;

/// <summary>
/// The slot machine's one transition table. <see cref="SlotMachine"/> configures Stateless from these
/// rows (so `webc-bootsafe graph` shows each row's guard and actions) and applies the effect of the
/// row Stateless takes. An event no row admits is refused with the unmet guard's text, or, when its
/// trigger has no row in the state at all, with <see cref="NotHere"/>. docs/state-machine.md explains it.
/// </summary>
public static class SlotTable
{
    private const string RollBack = "DisarmBootOnce, WriteBootEntries(good, -, previous)";

    // Booted kinds are exclusive (SlotRules.Classify), so at most one BootObserved row admits a boot.
    private static SlotGuard Booted(BootKind kind, string description) =>
        new(description, (r, e) => SlotRules.Classify(r, ((BootObserved)e).Revision) == kind ? null : description);

    private static readonly SlotGuard Stageable = new("not known-good, not failed unless forced", (r, e) =>
    {
        var s = (Stage)e;
        if (s.Revision == r.KnownGood)
        {
            return $"cannot stage {s.Revision}: it is already the known-good revision";
        }

        return r.Failed.Find(f => f.Revision == s.Revision) is { } failed && !s.Force
            ? $"cannot stage {s.Revision}: it failed before ({failed.Reason}, {failed.At:u}); use --force to try it again"
            : null;
    });

    // A newer candidate (the fix for the fix) takes the place of a staged trial that has not come up:
    // the same checks as any stage, and not the trial itself (re-staging it finishes an interrupted stage).
    private static readonly SlotGuard Replaceable = new("a different, stageable revision", (r, e) =>
        ((Stage)e).Revision == r.Trial
            ? $"cannot stage {r.Trial}: it is already the staged trial"
            : Stageable.Unmet(r, e));

    private static readonly SlotGuard InFailedSet = new("revision in the failed set", (r, e) =>
        r.HasFailed(((Unfail)e).Revision) ? null : $"cannot unfail {((Unfail)e).Revision}: it is not in the failed set");

    private static readonly SlotGuard TrialWithinBudget = Booted(BootKind.TrialWithinBudget, "trial boot within budget");
    private static readonly SlotGuard TrialOverBudget = Booted(BootKind.TrialOverBudget, "trial over budget");
    private static readonly SlotGuard AttemptsLeft = Booted(BootKind.KnownGoodWithAttemptsLeft, "known-good booted, attempts left");
    private static readonly SlotGuard AttemptsUsed = Booted(BootKind.KnownGoodAttemptsUsed, "known-good booted, attempts used");
    private static readonly SlotGuard FailedBooted = Booted(BootKind.FailedRevision, "failed revision booted");
    private static readonly SlotGuard OtherBooted = Booted(BootKind.Recorded, "other boot: recorded");
    private static readonly SlotGuard KnownGoodNotComingUp = Booted(BootKind.KnownGoodNotComingUp, "known-good booted, its last boots never came up");

    private static readonly SlotGuard KnownGoodBootsCounted = new("known-good boots counted", (r, e) =>
        r.UnconfirmedKnownGoodBoots > 0 ? null : "nothing to reset: no known-good boot is counted as not coming up");

    /// <summary>Every row. Stable and RolledBack are substates of Settled and have no rows of their own.</summary>
    public static IReadOnlyList<SlotRow> Rows { get; } =
    [
        new(Settled, SlotTrigger.Stage, Stageable, Staged, SlotEffects.Stage, "WriteBootEntries(good, r, previous), ArmBootOnce(r)"),
        new(Settled, SlotTrigger.BootObserved, OtherBooted, null, SlotEffects.Recorded, ""),
        new(Settled, SlotTrigger.BootObserved, FailedBooted, null, SlotEffects.FailedBooted, "DisarmBootOnce, Reboot"),
        new(Settled, SlotTrigger.BootObserved, KnownGoodNotComingUp, null, SlotEffects.TryPrevious, "ArmBootOnce(previous), Reboot"),

        new(Staged, SlotTrigger.Unstage, SlotGuard.Always, Stable, SlotEffects.Unstage, RollBack),
        new(Staged, SlotTrigger.Stage, Replaceable, Staged, SlotEffects.Replace, "DisarmBootOnce, WriteBootEntries(good, r, previous), ArmBootOnce(r), prune the old trial"),
        new(Staged, SlotTrigger.BootObserved, TrialWithinBudget, Trying, SlotEffects.TrialBoot, "count the boot"),
        new(Staged, SlotTrigger.BootObserved, TrialOverBudget, RolledBack, SlotEffects.TrialOverBudget, $"fail the trial, {RollBack}, Reboot"),
        new(Staged, SlotTrigger.BootObserved, AttemptsLeft, Staged, SlotEffects.ReArm, "count an attempt, ArmBootOnce(trial)"),
        new(Staged, SlotTrigger.BootObserved, AttemptsUsed, RolledBack, SlotEffects.AttemptsUsed, $"count an attempt, fail the trial, {RollBack}"),
        new(Staged, SlotTrigger.BootObserved, OtherBooted, null, SlotEffects.Recorded, ""),

        new(Trying, SlotTrigger.HealthPassed, SlotGuard.Always, Stable, SlotEffects.Promote, "promote, DisarmBootOnce, WriteBootEntries(trial, -, old good)"),
        new(Trying, SlotTrigger.HealthFailed, SlotGuard.Always, RolledBack, SlotEffects.HealthFailed, $"fail the trial, {RollBack}, Reboot"),
        new(Trying, SlotTrigger.BootObserved, TrialWithinBudget, null, SlotEffects.TrialBoot, "count the boot"),
        new(Trying, SlotTrigger.BootObserved, TrialOverBudget, RolledBack, SlotEffects.TrialOverBudget, $"fail the trial, {RollBack}, Reboot"),
        new(Trying, SlotTrigger.BootObserved, AttemptsLeft, Staged, SlotEffects.ReArm, "ArmBootOnce(trial)"),
        new(Trying, SlotTrigger.BootObserved, AttemptsUsed, RolledBack, SlotEffects.AttemptsUsed, $"fail the trial, {RollBack}"),
        new(Trying, SlotTrigger.BootObserved, OtherBooted, null, SlotEffects.Recorded, ""),

        // Lifting a wrongly failed revision changes nothing but the failed set, so it is allowed everywhere.
        .. new[] { Settled, Staged, Trying }.Select(state =>
            new SlotRow(state, SlotTrigger.Unfail, InFailedSet, null, SlotEffects.Unfail, "remove it from the failed set")),

        // Known-good came up: the count of its boots that did not starts again, whatever is staged.
        .. new[] { Settled, Staged, Trying }.Select(state =>
            new SlotRow(state, SlotTrigger.KnownGoodCameUp, KnownGoodBootsCounted, null, SlotEffects.KnownGoodCameUp, "reset the count")),
    ];

    /// <summary>Why <paramref name="e"/> is refused in a state where its trigger has no row.</summary>
    public static string NotHere(SlotRecord r, SlotEvent e) => e switch
    {
        Stage s => $"cannot stage {s.Revision}: trial {r.Trial} is already {r.State.ToString().ToLowerInvariant()}; unstage or confirm it first",
        Unstage => $"cannot unstage: state is {r.State}, and only a staged trial that has not booted can be withdrawn",
        HealthPassed or HealthFailed => $"cannot take a health verdict: state is {r.State}, and only a trial that booted (Trying) is judged",
        _ => $"cannot take {e.Trigger} in state {r.State}",
    };
}
