namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// The mount's read-ahead. The kernel starts every FUSE mount at 128 KiB and init can only lower it,
/// so a sequential read of a large file reached the daemon as 128 KiB requests, one round trip per 32
/// pages, while the daemon could take 1 MiB at once (libfuse negotiates max_pages 256). Raised the way
/// `blockdev --setra` raises a disk's, through the mount's backing device in sysfs; the kernel takes
/// it when a file is opened, so it is set before the mount serves anything. Best effort: without
/// sysfs or root the mount still works, only slower.
/// </summary>
internal static class ReadAhead
{
    /// <summary>One request at the largest size libfuse takes (its 1 MiB max_write sets max_pages).</summary>
    public const int Kilobytes = 1024;

    /// <param name="minor">The mount's device minor (a FUSE mount's device is 0:minor, and so is its backing device's name).</param>
    public static bool TrySet(string? minor, int kilobytes = Kilobytes)
    {
        if (minor is null)
        {
            return false;
        }

        try
        {
            File.WriteAllText(PathOf(minor), kilobytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static string PathOf(string minor) => $"/sys/class/bdi/0:{minor}/read_ahead_kb";
}
