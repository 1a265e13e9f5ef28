using System.Collections.Immutable;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.StateMachine.Machine;

/// <summary>
/// The effects the rows of <see cref="SlotTable"/> name: what a taken row does to the record's fields
/// and which actions it owes. Each is written once; rows that do the same share it.
/// </summary>
internal static class SlotEffects
{
    public static SlotEffect Stage(SlotRecord r, SlotEvent e, DateTimeOffset now)
    {
        var s = (Stage)e;
        return new SlotEffect(
            // A forced re-stage keeps the earlier failure on record until the trial is promoted, so an
            // unstaged retry still needs --force next time.
            r with { Trial = s.Revision, TrialBoots = 0 },
            [new WriteBootEntries(r.KnownGood, s.Revision, r.Previous), new ArmBootOnce(s.Revision)],
            s.Force && r.HasFailed(s.Revision) ? "staged (forced over an earlier failure)" : "staged");
    }

    /// <summary>
    /// A newer candidate replaces the staged trial before it came up. Boot-once is disarmed before
    /// extlinux.conf's trial label changes, so a power cut in between boots known-good, never a trial
    /// the record does not name; the old trial's files are pruned once the new record is durable. The
    /// old trial is not failed: it was never judged, only superseded (the history line says so).
    /// </summary>
    public static SlotEffect Replace(SlotRecord r, SlotEvent e, DateTimeOffset now)
    {
        var s = (Stage)e;
        var old = r.Trial!.Value;
        return new SlotEffect(
            r with { Trial = s.Revision, TrialBoots = 0 },
            [new DisarmBootOnce(), new WriteBootEntries(r.KnownGood, s.Revision, r.Previous), new ArmBootOnce(s.Revision)],
            $"replaced staged trial {old.Short} (never came up) by {s.Revision.Short}" + (s.Force && r.HasFailed(s.Revision) ? " (forced over an earlier failure)" : ""));
    }

    public static SlotEffect Unstage(SlotRecord r, SlotEvent e, DateTimeOffset now) => new(
        r with { Trial = null, TrialBoots = 0 },
        [new DisarmBootOnce(), new WriteBootEntries(r.KnownGood, null, r.Previous)],
        "unstaged");

    public static SlotEffect Promote(SlotRecord r, SlotEvent e, DateTimeOffset now)
    {
        var trial = r.Trial!.Value;
        return new SlotEffect(
            r with
            {
                KnownGood = trial,
                Previous = r.KnownGood,
                Trial = null,
                TrialBoots = 0,
                Failed = r.Failed.RemoveAll(f => f.Revision == trial),

                // The count was about the old known-good.
                UnconfirmedKnownGoodBoots = 0,
            },
            [new DisarmBootOnce(), new WriteBootEntries(trial, null, r.KnownGood)],
            "health passed: trial promoted to known-good");
    }

    public static SlotEffect HealthFailed(SlotRecord r, SlotEvent e, DateTimeOffset now) =>
        RollBack(r, $"health failed: {((HealthFailed)e).Reason}", now, reboot: true);

    public static SlotEffect Unfail(SlotRecord r, SlotEvent e, DateTimeOffset now)
    {
        var u = (Unfail)e;
        return new SlotEffect(
            r with { Failed = r.Failed.RemoveAll(f => f.Revision == u.Revision) },
            [],
            $"unfailed {u.Revision.Short} by an operator: {u.Reason}");
    }

    public static SlotEffect TrialBoot(SlotRecord r, SlotEvent e, DateTimeOffset now) => Boot(r, e, now, seen => new SlotEffect(
        seen with { TrialBoots = r.TrialBoots + 1 }, [], $"trial boot {r.TrialBoots + 1} of {r.MaxTrialBoots}"));

    public static SlotEffect TrialOverBudget(SlotRecord r, SlotEvent e, DateTimeOffset now) => Boot(r, e, now, seen => RollBack(
        seen with { TrialBoots = r.TrialBoots + 1 },
        $"trial booted {r.TrialBoots + 1} times without a health verdict (budget {r.MaxTrialBoots})",
        now,
        reboot: true));

    public static SlotEffect ReArm(SlotRecord r, SlotEvent e, DateTimeOffset now) => Boot(r, e, now, seen => new SlotEffect(
        seen with { TrialBoots = SlotRules.UsedAttempts(r) },
        [new ArmBootOnce(r.Trial!.Value)],
        $"known-good came up instead of the trial (attempt {SlotRules.UsedAttempts(r)} of {r.MaxTrialBoots}): re-armed"));

    public static SlotEffect AttemptsUsed(SlotRecord r, SlotEvent e, DateTimeOffset now) => Boot(r, e, now, seen => RollBack(
        seen with { TrialBoots = SlotRules.UsedAttempts(r) },
        $"trial did not come up in {r.MaxTrialBoots} attempt(s)",
        now,
        reboot: false));

    public static SlotEffect FailedBooted(SlotRecord r, SlotEvent e, DateTimeOffset now) => Boot(r, e, now, seen => new SlotEffect(
        seen,
        [new DisarmBootOnce(), new Reboot($"failed revision {((BootObserved)e).Revision.Short} booted; back to known-good")],
        "a failed revision booted again (boot-once not consumed?): disarmed"));

    // Only BootKind.Recorded sees known-good boot with nothing armed, so only it counts them.
    public static SlotEffect Recorded(SlotRecord r, SlotEvent e, DateTimeOffset now) => Boot(r, e, now, seen =>
        ((BootObserved)e).Revision == r.KnownGood
            ? new SlotEffect(
                seen with { UnconfirmedKnownGoodBoots = r.UnconfirmedKnownGoodBoots + 1 },
                [],
                r.UnconfirmedKnownGoodBoots == 0
                    ? "known-good booted"
                    : $"known-good booted; its last {r.UnconfirmedKnownGoodBoots} boot(s) did not come up")
            : new SlotEffect(seen, [], "other revision booted: recorded only"));

    public static SlotEffect TryPrevious(SlotRecord r, SlotEvent e, DateTimeOffset now) => Boot(r, e, now, seen =>
    {
        var previous = SlotRules.PreviousToTry(r)!.Value;
        var why = $"known-good {r.KnownGood.Short} did not come up in its last {r.UnconfirmedKnownGoodBoots} boots";
        return new SlotEffect(
            // From zero: if previous does not come up either, known-good gets its boots again; a
            // machine never stops trying the revision it was told is good.
            seen with { UnconfirmedKnownGoodBoots = 0 },
            [new ArmBootOnce(previous, SlotLabel.Previous), new Reboot($"{why}; trying previous {previous.Short} once")],
            $"{why}: previous {previous.Short} armed for the next boot");
    });

    public static SlotEffect KnownGoodCameUp(SlotRecord r, SlotEvent e, DateTimeOffset now) => new(
        r with { UnconfirmedKnownGoodBoots = 0 },
        [],
        $"known-good came up (after {r.UnconfirmedKnownGoodBoots} counted boot(s))");

    // Every observed boot is remembered, whatever else its row does.
    private static SlotEffect Boot(SlotRecord r, SlotEvent e, DateTimeOffset now, Func<SlotRecord, SlotEffect> then)
    {
        var b = (BootObserved)e;
        return then(r with { LastBoot = new ObservedBoot(b.Revision, b.Slot, now) });
    }

    private static SlotEffect RollBack(SlotRecord r, string reason, DateTimeOffset now, bool reboot)
    {
        var trial = r.Trial!.Value;
        var after = r with
        {
            Trial = null,
            Failed = r.Failed.RemoveAll(f => f.Revision == trial).Add(new FailedRevision(trial, reason, now)),
        };
        ImmutableList<SlotAction> actions = [new DisarmBootOnce(), new WriteBootEntries(r.KnownGood, null, r.Previous)];
        return new SlotEffect(after, reboot ? actions.Add(new Reboot(reason)) : actions, "rolled back: " + reason);
    }
}
