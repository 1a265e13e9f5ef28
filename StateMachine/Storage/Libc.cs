using System.Runtime.InteropServices;

namespace Webc.BootSafe.StateMachine.Storage;

/// <summary>The few libc calls .NET does not expose: fsync of a directory, and the inode flag ioctls.</summary>
internal static partial class Libc
{
    public const int ORdonly = 0;
    public const int ODirectory = 0x10000;
    public const int OCloexec = 0x80000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    public static IOException Error(string what, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{what} {path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }
}
