using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.StateMachine.Ports;

/// <summary>
/// Names that keep the record's revisions reachable in the medium's repository
/// (<c>refs/bootsafe/known-good</c>, <c>trial</c>, <c>previous</c>). They are derived from the record
/// alone, so they follow every committed transition and any later one repairs refs a crash left stale.
/// </summary>
public interface IRevisionRefs
{
    /// <summary>Points the refs at <paramref name="record"/>'s revisions and removes those it lacks.</summary>
    void Follow(SlotRecord record);
}
