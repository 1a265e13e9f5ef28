using System.Runtime.InteropServices;

namespace Webc.BootSafe.Medium.Storage;

/// <summary>
/// The one libc binding: the calls .NET does not expose. For the medium: fsync of a directory, O_SYNC
/// in-place writes, the inode flag ioctls, statx for the inode number; for git-fs: umount2, setsid,
/// geteuid, dup2. Constants are Linux's generic ABI (x86_64, arm64).
/// </summary>
public static partial class Libc
{
    public const int ORdonly = 0;
    public const int OWronly = 1;
    public const int ODirectory = 0x10000;
    public const int OCloexec = 0x80000;

    /// <summary>So opening a FIFO (git-fs --with-git passes the repository's files through) cannot block.</summary>
    public const int ONonblock = 0x800;
    public const int OSync = 0x101000;

    /// <summary>ioctl requests from linux/fs.h (64-bit encoding: the argument is declared long, the kernel reads an int).</summary>
    public const uint FsIocGetFlags = 0x80086601;
    public const uint FsIocSetFlags = 0x40086602;
    public const int FsImmutableFl = 0x10;

    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const uint StatxIno = 0x100;
    private const uint StatxSize = 0x200;
    private const int StatxBufferLength = 256;

    public const int EIntr = 4;
    private const int EInval = 22;
    private const int ENotty = 25;
    private const int ENosys = 38;
    private const int EOpNotSupp = 95;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    private static unsafe partial nint Pwrite(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static unsafe partial int Ioctl(int fd, nuint request, int* argument);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    public static IOException Error(string what, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{what} {path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }

    /// <summary>Writes all of <paramref name="content"/> at <paramref name="offset"/>, retrying short writes.</summary>
    public static unsafe void WriteAll(int fd, ReadOnlySpan<byte> content, long offset, string path)
    {
        fixed (byte* start = content)
        {
            var done = 0;
            while (done < content.Length)
            {
                var n = Pwrite(fd, start + done, (nuint)(content.Length - done), offset + done);
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == EIntr)
                    {
                        continue;
                    }

                    throw Error("pwrite", path);
                }

                done += (int)n;
            }
        }
    }

    /// <summary>The inode flags (chattr's), or null when the file system has none (vfat: ENOTTY).</summary>
    public static unsafe int? GetInodeFlags(int fd, string path)
    {
        int flags = 0;
        if (Ioctl(fd, FsIocGetFlags, &flags) == 0)
        {
            return flags;
        }

        return Marshal.GetLastPInvokeError() is ENotty or EOpNotSupp or EInval or ENosys
            ? null
            : throw Error("ioctl(FS_IOC_GETFLAGS)", path);
    }

    public static unsafe void SetInodeFlags(int fd, int flags, string path)
    {
        if (Ioctl(fd, FsIocSetFlags, &flags) != 0)
        {
            throw Error("ioctl(FS_IOC_SETFLAGS)", path);
        }
    }

    /// <summary>Inode number and size of an open file (statx: one layout on every architecture).</summary>
    public static unsafe FileIdentity Identify(int fd, string path)
    {
        var buffer = stackalloc byte[StatxBufferLength];
        if (Statx(fd, "", AtEmptyPath, StatxIno | StatxSize, buffer) != 0)
        {
            throw Error("statx", path);
        }

        var span = new ReadOnlySpan<byte>(buffer, StatxBufferLength);
        return new FileIdentity(MemoryMarshal.Read<ulong>(span[32..]), MemoryMarshal.Read<long>(span[40..]));
    }

    public readonly record struct FileIdentity(ulong Inode, long Size);

    /// <summary>Whether an open descriptor is a regular file (not a device or pipe that reads forever); true when statx cannot tell.</summary>
    public static unsafe bool IsRegularFile(SafeHandle file)
    {
        var buffer = stackalloc byte[StatxBufferLength];
        if (Statx((int)file.DangerousGetHandle(), "", AtEmptyPath, StatxType, buffer) != 0)
        {
            return true;
        }

        const int typeMask = 0xF000, regular = 0x8000;
        return (MemoryMarshal.Read<ushort>(new ReadOnlySpan<byte>(buffer + 28, 2)) & typeMask) == regular;
    }

    /// <summary>
    /// st_dev and st_ino of an open descriptor (statx fills the device always), as systemd writes
    /// them in JOURNAL_STREAM: so a program can tell whether its stderr is still the journal's stream.
    /// </summary>
    public static unsafe (ulong Device, ulong Inode)? DeviceAndInode(int fd)
    {
        var buffer = stackalloc byte[StatxBufferLength];
        if (Statx(fd, "", AtEmptyPath, StatxIno, buffer) != 0)
        {
            return null;
        }

        var span = new ReadOnlySpan<byte>(buffer, StatxBufferLength);
        ulong major = MemoryMarshal.Read<uint>(span[136..]);
        ulong minor = MemoryMarshal.Read<uint>(span[140..]);
        // glibc's makedev: how st_dev (and so JOURNAL_STREAM) encodes the pair.
        var device = ((major & 0xfff) << 8) | ((major & 0xfffff000) << 32) | (minor & 0xff) | ((minor & 0xffffff00) << 12);
        return (device, MemoryMarshal.Read<ulong>(span[32..]));
    }

    public const int MntDetach = 2;

    [LibraryImport("libc", EntryPoint = "umount2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Umount2(string target, int flags);

    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    public static partial int SetSid();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    public static partial int Dup2(int oldFd, int newFd);

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

    public const int ORdwr = 0x2;
    public const int OCreat = 0x40;
    public const int LockEx = 2;
    public const int LockNb = 4;
    public const int EWouldBlock = 11;

    // Not FileStream for locks: on Unix it takes its own shared flock when opened shareable, and two
    // holders upgrading to exclusive would starve each other.
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenWithMode(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);
}
