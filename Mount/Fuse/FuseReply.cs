namespace Webc.BootSafe.Mount.Fuse;

/// <summary>What every callback shares: how long the kernel may cache, and how a failure is answered.</summary>
internal static class FuseReply
{
    /// <summary>Entry, attribute and negative-entry lifetime: the content of a commit never changes.</summary>
    public const double CacheSeconds = 365 * 24 * 3600;

    /// <summary>The kernel gets EIO; the operator gets the reason (a damaged pack, a missing object).</summary>
    public static void Fail(nint request, Exception e)
    {
        Report(e);
        LibFuse.ReplyError(request, Errno.EIO);
    }

    /// <summary>
    /// One line on stderr. An exception must never cross into C (that would abort the process),
    /// and a request must still get its one reply, so even a failing stderr is swallowed here.
    /// </summary>
    public static void Report(Exception e)
    {
        try
        {
            Console.Error.WriteLine($"git-fs: {e.GetType().Name}: {e.Message}");
        }
        catch (Exception)
        {
            // Nowhere left to report to.
        }
    }

    /// <summary>An errno answer; 0 is libfuse's way to answer success with no data (release).</summary>
    public static void Error(nint request, int errno) => LibFuse.ReplyError(request, errno);
}
