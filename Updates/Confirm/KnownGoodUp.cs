using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Updates.Confirm;

/// <summary>
/// Use case "known-good came up": called by the confirm service on a boot of known-good once its
/// userspace is up, so that select's count of known-good boots that did not come up
/// (<see cref="SlotRecord.UnconfirmedKnownGoodBoots"/>, which turns to previous at
/// <see cref="SlotRecord.KnownGoodBootBudget"/>) starts again. Writes only when a boot is counted.
/// </summary>
public sealed class KnownGoodUp(Func<MediumSession> openSession)
{
    /// <returns>What was recorded, or null when <paramref name="running"/> is not known-good or nothing is counted.</returns>
    public string? Record(Revision? running, DateTimeOffset now)
    {
        using var session = openSession();
        var record = session.Record;
        if (running != record.KnownGood || record.UnconfirmedKnownGoodBoots == 0)
        {
            return null;
        }

        return session.Fire(new KnownGoodCameUp(), now).Transition.Reason;
    }
}
