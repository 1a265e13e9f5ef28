using System.Diagnostics;
using System.Runtime.InteropServices;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Medium.Storage;

/// <summary>
/// The exclusive lock mutating commands hold on <c>live/bootsafe/lock</c> (flock(2), released when
/// the process dies, so a crash never leaves the medium locked). A second holder waits up to a
/// bounded time, then fails with a clear error instead of hanging a boot.
/// </summary>
public sealed class MediumLock : IDisposable
{
    private const int ReadOnlyFileSystem = 30; // EROFS

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(25);
    private int _fd;

    private MediumLock(int fd) => _fd = fd;

    public static MediumLock Acquire(string path, TimeSpan timeout) =>
        Acquire(path, Libc.ORdwr | Libc.OCreat | Libc.OCloexec, timeout);

    /// <summary>Locks a directory that exists (creating no file): a fetch locks the repository it writes into.</summary>
    public static MediumLock AcquireDirectory(string path, TimeSpan timeout) =>
        Acquire(path, Libc.ORdonly | Libc.ODirectory | Libc.OCloexec, timeout);

    private static MediumLock Acquire(string path, int flags, TimeSpan timeout)
    {
        var fd = Libc.OpenWithMode(path, flags, Convert.ToInt32("644", 8));
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno == ReadOnlyFileSystem
                ? new OperationFailedException($"Not a writable boot medium: {path} is on a read-only file system; nothing was written")
                : new OperationFailedException($"cannot open the lock {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (Libc.Flock(fd, Libc.LockEx | Libc.LockNb) == 0)
            {
                return new MediumLock(fd);
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != Libc.EWouldBlock && errno != Libc.EIntr)
            {
                Libc.Close(fd);
                throw new OperationFailedException($"cannot lock {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
            }

            if (clock.Elapsed >= timeout)
            {
                Libc.Close(fd);
                throw new OperationFailedException(
                    $"another webc-bootsafe holds {path}; gave up after {timeout.TotalSeconds:0.#} s (try again when it has finished)");
            }

            Thread.Sleep(Poll);
        }
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            Libc.Close(fd);
        }
    }
}
