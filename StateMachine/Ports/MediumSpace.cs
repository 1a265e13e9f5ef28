namespace Webc.BootSafe.StateMachine.Ports;

/// <summary>What the file system holding a path can still take: statvfs's f_bavail blocks and its read-only flag.</summary>
public sealed record MediumSpace(long AvailableBytes, bool ReadOnly)
{
    /// <summary>For a storage that cannot tell: unbounded and writable, so it never refuses on its own.</summary>
    public static MediumSpace Unknown { get; } = new(long.MaxValue, false);
}
