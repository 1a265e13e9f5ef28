using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Medium.Storage;

/// <summary>
/// When and why the failed set last changed, for `status`: the newest entry of the record's failed
/// list (a revision added, with the rollback's reason), or a later history line that lifted one
/// (trigger <c>Unfail</c>), whichever is newer. Null when the failed set never changed.
/// </summary>
public sealed record FailedSetChange(string At, string Change, string Revision, string Reason)
{
    /// <summary>The history trigger that removes a revision from the failed set.</summary>
    public const string UnfailTrigger = "Unfail";

    public static FailedSetChange? Of(SlotRecord record, IReadOnlyList<HistoryLine> history)
    {
        FailedSetChange? added = null;
        DateTimeOffset? addedAt = null;
        if (record.Failed.MaxBy(f => f.At) is { } newest)
        {
            added = new FailedSetChange(StateFileCodec.Time(newest.At), "added", newest.Revision.Sha, newest.Reason);
            addedAt = newest.At;
        }

        var lifted = history.Select(l => l.Entry).LastOrDefault(e => e?.Trigger == UnfailTrigger);
        if (lifted is not null && TryTime(lifted.At) is { } liftedAt && (addedAt is null || liftedAt > addedAt))
        {
            return new FailedSetChange(lifted.At, "removed", lifted.Revision ?? "?", lifted.Reason);
        }

        return added;
    }

    private static DateTimeOffset? TryTime(string at)
    {
        try
        {
            return StateFileCodec.ParseTime(at);
        }
        catch (StateFileException)
        {
            return null;
        }
    }
}
