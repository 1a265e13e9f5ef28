using System.Runtime.InteropServices;

namespace Webc.BootSafe.StateMachine.Storage;

/// <summary>
/// open(2) and flock(2) for <see cref="MediumLock"/>. Not FileStream: on Unix it takes its own
/// shared flock when opened shareable, and two holders upgrading to exclusive would starve each other.
/// </summary>
internal static partial class Flock
{
    public const int ORdwr = 0x2;
    public const int OCreat = 0x40;
    public const int OCloexec = 0x80000;
    public const int LockEx = 2;
    public const int LockNb = 4;
    public const int LockUn = 8;
    public const int EWouldBlock = 11;
    public const int EIntr = 4;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Lock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
