namespace Webc.BootSafe.Fetch.Git;

/// <summary>
/// How long a fetch may take: <paramref name="Deadline"/> for the whole fetch (every attempt);
/// <paramref name="StallTimeout"/> without a byte from the server before an attempt fails (libgit2's
/// server read/connect timeout); and a transfer slower than <paramref name="LowSpeedBytesPerSecond"/>,
/// averaged over the stall window, is given up, as curl's low-speed limit does.
/// </summary>
public sealed record TransferLimits(TimeSpan Deadline, TimeSpan StallTimeout, long LowSpeedBytesPerSecond)
{
    public static TransferLimits Default { get; } = new(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(1), 1024);
}
