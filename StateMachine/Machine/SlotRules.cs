using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.StateMachine.Machine;

/// <summary>The questions the machine's guards ask of a record, kept pure and in one place.</summary>
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

        // While a trial is armed, a failed revision can only come up by a manual choice: leave it be.
        return !armed && record.HasFailed(booted) && booted != record.KnownGood ? BootKind.FailedRevision : BootKind.Recorded;
    }

    /// <summary>
    /// Attempts used once known-good came up instead of the trial: in Staged the trial never came up,
    /// so this boot is one more used attempt; in Trying the trial's own boot was already counted.
    /// </summary>
    public static int UsedAttempts(SlotRecord record) =>
        record.State == SlotState.Staged ? record.TrialBoots + 1 : record.TrialBoots;

    public static string? StageRefusal(SlotRecord record, Stage stage)
    {
        if (record.State is SlotState.Staged or SlotState.Trying)
        {
            return $"cannot stage {stage.Revision}: trial {record.Trial} is already {record.State.ToString().ToLowerInvariant()}; unstage or confirm it first";
        }

        if (stage.Revision == record.KnownGood)
        {
            return $"cannot stage {stage.Revision}: it is already the known-good revision";
        }

        var failed = record.Failed.Find(f => f.Revision == stage.Revision);
        if (failed is not null && !stage.Force)
        {
            return $"cannot stage {stage.Revision}: it failed before ({failed.Reason}, {failed.At:u}); use --force to try it again";
        }

        return null;
    }

    /// <summary>Why <paramref name="e"/> is not allowed on <paramref name="record"/>, or null when it is.</summary>
    public static string? Refusal(SlotRecord record, SlotEvent e) => e switch
    {
        Stage stage => StageRefusal(record, stage),
        Unstage when record.State != SlotState.Staged =>
            $"cannot unstage: state is {record.State}, and only a staged trial that has not booted can be withdrawn",
        HealthPassed or HealthFailed when record.State != SlotState.Trying =>
            $"cannot take a health verdict: state is {record.State}, and only a trial that booted (Trying) is judged",
        _ => null,
    };
}
