namespace Webc.BootSafe.Medium.Storage;

/// <summary>
/// One line of history.log: the event with its arguments (enough to replay it through
/// SlotMachine.Fire), the record it produced, and the hash chain. <see cref="Prev"/> is the previous
/// line's <see cref="Hash"/>; <see cref="Hash"/> is SHA-256 of this line serialized without it.
/// </summary>
public sealed record HistoryEntry
{
    public long Seq { get; init; }

    public string At { get; init; } = "";

    /// <summary>
    /// <c>Init</c>, a SlotTrigger name, or <see cref="HistoryLog.RefusedTrigger"/> (an event or a
    /// fetched candidate that was refused: the record is unchanged, <see cref="Event"/> names what).
    /// </summary>
    public string Trigger { get; init; } = "";

    /// <summary>On a refusal line: the refused event's trigger (or <c>Fetch</c>); null otherwise.</summary>
    public string? Event { get; init; }

    /// <summary>The event's revision (Stage, BootObserved, Unfail) or the known-good of Init.</summary>
    public string? Revision { get; init; }

    public bool? Force { get; init; }

    public string? Slot { get; init; }

    /// <summary>HealthFailed's or Unfail's reason, as given.</summary>
    public string? Cause { get; init; }

    public string From { get; init; } = "";

    public string To { get; init; } = "";

    public long Generation { get; init; }

    public string KnownGood { get; init; } = "";

    public string? Trial { get; init; }

    public string? Previous { get; init; }

    public int TrialBoots { get; init; }

    public int MaxTrialBoots { get; init; }

    /// <summary>The machine's explanation of the transition.</summary>
    public string Reason { get; init; } = "";

    public string Prev { get; init; } = "";

    public string? Hash { get; init; }
}
