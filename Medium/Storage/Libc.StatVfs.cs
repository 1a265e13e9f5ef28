using System.Runtime.InteropServices;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Medium.Storage;

public static partial class Libc
{
    /// <summary>statvfs's f_flag bit for a read-only mount.</summary>
    public const ulong StRdonly = 1;

    /// <summary>struct statvfs of glibc on 64-bit Linux (x86_64, arm64): eleven 64-bit fields, then spare ints.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct StatVfsBuffer
    {
        public ulong BlockSize;
        public ulong FragmentSize;
        public ulong Blocks;
        public ulong BlocksFree;
        public ulong BlocksAvailable;
        public ulong Files;
        public ulong FilesFree;
        public ulong FilesAvailable;
        public ulong FileSystemId;
        public ulong Flags;
        public ulong NameMax;
        public int Spare0, Spare1, Spare2, Spare3, Spare4, Spare5;
    }

    [LibraryImport("libc", EntryPoint = "statvfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatVfsNative(string path, out StatVfsBuffer buffer);

    /// <summary>
    /// Space an unprivileged write can still use (f_bavail: the root reserve is left alone, so a
    /// check passes only when the write fits without it) and whether the mount is read-only.
    /// </summary>
    public static MediumSpace StatVfs(string path)
    {
        if (StatVfsNative(path, out var buffer) != 0)
        {
            throw Error("statvfs", path);
        }

        var bytes = (decimal)buffer.BlocksAvailable * buffer.FragmentSize;
        return new MediumSpace(bytes > long.MaxValue ? long.MaxValue : (long)bytes, (buffer.Flags & StRdonly) != 0);
    }
}
