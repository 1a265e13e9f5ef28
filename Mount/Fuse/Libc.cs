using System.Runtime.InteropServices;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>The few libc calls mounting needs.</summary>
public static partial class Libc
{
    public const int MntDetach = 2;

    [LibraryImport("libc", EntryPoint = "umount2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Umount2(string target, int flags);

    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    internal static partial int SetSid();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    internal static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    internal static partial int Dup2(int oldFd, int newFd);

    /// <summary>Detaches a daemon: new session, and stdin/stdout/stderr on /dev/null so no pipe to a gone parent can block it.</summary>
    public static void Daemonize()
    {
        SetSid();
        var fd = Open("/dev/null", 2 /* O_RDWR */);
        if (fd >= 0)
        {
            Dup2(fd, 0);
            Dup2(fd, 1);
            Dup2(fd, 2);
        }
    }
}
