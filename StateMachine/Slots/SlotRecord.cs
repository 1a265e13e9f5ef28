using System.Collections.Immutable;

namespace Webc.BootSafe.StateMachine.Slots;

/// <summary>
/// The persisted truth about the medium's slots. Immutable: every transition produces a new record
/// with <see cref="Generation"/> one higher, which is what lets the store keep the previous
/// generation and detect a torn write.
/// </summary>
public sealed record SlotRecord
{
    public const int DefaultMaxTrialBoots = 1;

    /// <summary>
    /// Known-good boots in a row that may not come up before the next one turns to previous: a
    /// known-good that failed to come up this often is more likely broken (a disk or firmware change
    /// it cannot live with) than unlucky, and previous ran on this machine before.
    /// </summary>
    public const int KnownGoodBootBudget = 3;

    public required SlotState State { get; init; }

    public required Revision KnownGood { get; init; }

    public Revision? Trial { get; init; }

    /// <summary>The known-good before the last promotion: the manual fallback label.</summary>
    public Revision? Previous { get; init; }

    /// <summary>Boot attempts of the trial since it was staged (observed or inferred).</summary>
    public int TrialBoots { get; init; }

    public int MaxTrialBoots { get; init; } = DefaultMaxTrialBoots;

    public ImmutableList<FailedRevision> Failed { get; init; } = [];

    /// <summary>
    /// Boots of known-good (nothing armed) that select counted and that no "known-good came up"
    /// (Updates/Confirm/KnownGoodUp) followed. Reset when it comes up, and when previous is tried.
    /// </summary>
    public int UnconfirmedKnownGoodBoots { get; init; }

    public ObservedBoot? LastBoot { get; init; }

    public long Generation { get; init; }

    public static SlotRecord Initial(Revision knownGood, int maxTrialBoots = DefaultMaxTrialBoots) => new()
    {
        State = SlotState.Stable,
        KnownGood = knownGood,
        MaxTrialBoots = maxTrialBoots,
        Generation = 1,
    };

    public bool HasFailed(Revision revision) => Failed.Exists(f => f.Revision == revision);

    // Records compare by value, including the failed list's contents, so a store round trip can be
    // checked with ==.
    public bool Equals(SlotRecord? other) =>
        other is not null
        && State == other.State
        && KnownGood == other.KnownGood
        && Trial == other.Trial
        && Previous == other.Previous
        && TrialBoots == other.TrialBoots
        && MaxTrialBoots == other.MaxTrialBoots
        && Failed.SequenceEqual(other.Failed)
        && UnconfirmedKnownGoodBoots == other.UnconfirmedKnownGoodBoots
        && LastBoot == other.LastBoot
        && Generation == other.Generation;

    public override int GetHashCode() => HashCode.Combine(State, KnownGood, Trial, Generation);
}
