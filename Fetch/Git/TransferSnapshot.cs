namespace Webc.BootSafe.Fetch.Git;

/// <summary>How far a transfer has come: what the progress bar and the log lines show.</summary>
public sealed record TransferSnapshot(int ReceivedObjects, int TotalObjects, int IndexedObjects, long ReceivedBytes)
{
    public static TransferSnapshot Nothing { get; } = new(0, 0, 0, 0);
}
