namespace Webc.BootSafe.StateMachine.Machine;

/// <summary>
/// What an observed boot means for the slots. The guards of the Stateless configuration and the
/// effects both branch on this one classification, so they cannot disagree.
/// </summary>
public enum BootKind
{
    /// <summary>The trial came up and still has boots left in its budget.</summary>
    TrialWithinBudget,

    /// <summary>The trial came up once more than allowed: boot-once was not consumed, or it loops.</summary>
    TrialOverBudget,

    /// <summary>Known-good came up while a trial was armed; attempts remain, so re-arm.</summary>
    KnownGoodWithAttemptsLeft,

    /// <summary>Known-good came up while a trial was armed and its attempts are used up.</summary>
    KnownGoodAttemptsUsed,

    /// <summary>A revision in the failed set came up (the once entry repeated): get off it again.</summary>
    FailedRevision,

    /// <summary>
    /// Known-good booted again although its last <see cref="Slots.SlotRecord.KnownGoodBootBudget"/>
    /// boots never came up, and previous is there to try: arm previous once and reboot into it.
    /// </summary>
    KnownGoodNotComingUp,

    /// <summary>Anything else: known-good with nothing armed, or a manual debug boot. Only recorded.</summary>
    Recorded,
}
