namespace Webc.BootSafe.Updates.Fleet;

/// <summary>What a flush did and what is left: <paramref name="Failed"/> when a post was not accepted.</summary>
public sealed record ReportFlushResult(int Posted, int Pending, long Dropped, int FailedAttempts, DateTimeOffset? NextAttempt, string Message, bool Failed)
{
    /// <summary>As `report` prints it: the message, then the outbox's counts and the next attempt.</summary>
    public IEnumerable<string> Lines() =>
    [
        Message,
        $"{Pending} queued, {Dropped} dropped by the bounds, {FailedAttempts} failed attempts{(NextAttempt is { } next ? $", next attempt after {next:O}" : "")}",
    ];
}
