using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.StateMachine.Machine;

/// <summary>The questions the table's guards ask of a record, kept pure and in one place.</summary>
public static class SlotRules
{
    public static BootKind Classify(SlotRecord record, Revision booted)
    {
        var armed = record.State is SlotState.Staged or SlotState.Trying && record.Trial is not null;
        if (armed && booted == record.Trial)
        {
            return record.TrialBoots + 1 > record.MaxTrialBoots ? BootKind.TrialOverBudget : BootKind.TrialWithinBudget;
        }

        if (armed && booted == record.KnownGood)
        {
            return UsedAttempts(record) < record.MaxTrialBoots
                ? BootKind.KnownGoodWithAttemptsLeft
                : BootKind.KnownGoodAttemptsUsed;
        }

        if (!armed && booted == record.KnownGood)
        {
            return record.UnconfirmedKnownGoodBoots >= SlotRecord.KnownGoodBootBudget && PreviousToTry(record) is not null
                ? BootKind.KnownGoodNotComingUp
                : BootKind.Recorded;
        }

        // While a trial is armed, a failed revision can only come up by a manual choice: leave it be.
        return !armed && record.HasFailed(booted) && booted != record.KnownGood ? BootKind.FailedRevision : BootKind.Recorded;
    }

    /// <summary>
    /// The revision to turn to when known-good does not come up: previous, unless there is none, it
    /// is known-good itself, or it failed. (Whether its label is still bootable is the bootloader's
    /// question: BootloaderApplier arms it only when its kernel files are on the medium.)
    /// </summary>
    public static Revision? PreviousToTry(SlotRecord record) =>
        record.Previous is { } p && p != record.KnownGood && !record.HasFailed(p) ? p : null;

    /// <summary>
    /// Attempts used once known-good came up instead of the trial: in Staged the trial never came up,
    /// so this boot is one more used attempt; in Trying the trial's own boot was already counted.
    /// </summary>
    public static int UsedAttempts(SlotRecord record) =>
        record.State == SlotState.Staged ? record.TrialBoots + 1 : record.TrialBoots;

    /// <summary>
    /// Why <paramref name="e"/> is not allowed on <paramref name="record"/>, or null when it is: asked of
    /// the machine (<see cref="SlotTable"/>), for callers that must refuse before doing any work.
    /// </summary>
    public static string? Refusal(SlotRecord record, SlotEvent e) => SlotMachine.Refusal(record, e);
}
