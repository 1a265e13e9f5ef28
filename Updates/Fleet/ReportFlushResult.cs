namespace Webc.BootSafe.Updates.Fleet;

/// <summary>What a flush did and what is left: <paramref name="Failed"/> when a post was not accepted.</summary>
public sealed record ReportFlushResult(int Posted, int Pending, long Dropped, int FailedAttempts, DateTimeOffset? NextAttempt, string Message, bool Failed);
