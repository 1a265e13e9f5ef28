using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.StateMachine.Ports;

/// <summary>
/// Where the slot record and its history persist (<c>live/bootsafe/state.yaml</c> and
/// <c>history.log</c>). Writes go through <see cref="IMediumStorage"/>.
/// </summary>
public interface ISlotStore
{
    /// <summary>Writes the first record of a new medium (generation 1) and the history's first line.</summary>
    void Initialize(SlotRecord record, DateTimeOffset at);

    /// <summary>
    /// The newest readable generation. <see cref="StoreLoad.Recovery"/> says what was wrong when an
    /// older generation had to be used; throws OperationFailedException when none is readable.
    /// </summary>
    StoreLoad Load();

    /// <summary>Persists <see cref="Transition.After"/> and appends the transition to the history.</summary>
    void Commit(Transition transition);

    /// <summary>
    /// Records that <paramref name="what"/> was refused on <paramref name="current"/> (which stays as
    /// it is). Stores without a history ignore it.
    /// </summary>
    void RecordRefusal(SlotRecord current, string what, string? revision, string reason, DateTimeOffset at)
    {
    }
}

/// <summary>
/// A loaded record. <see cref="Recovery"/> is set when state.yaml was unreadable and the record was
/// recovered (from state.yaml.prev, rebuilt from the history where it is newer). <see cref="Doubt"/> is
/// set when, even so, the history holds a newer transition that could not be verified: the record is
/// known to be stale, and no boot should be judged from it.
/// </summary>
public sealed record StoreLoad(SlotRecord Record, string? Recovery, string? Doubt = null);
