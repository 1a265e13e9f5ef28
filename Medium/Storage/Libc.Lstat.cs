using System.Runtime.InteropServices;
using System.Text;

namespace Webc.BootSafe.Medium.Storage;

public static partial class Libc
{
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7FF;
    private const int AtFdCwd = -100;
    private const int ENoData = 61;
    private const int ERange = 34;

    /// <summary>What lstat says of a path (the link itself, not its target).</summary>
    public readonly record struct LinkStat(uint Mode, uint Uid, uint Gid, uint NLink, ulong Inode, long Size, uint RDevMajor, uint RDevMinor, uint DevMajor, uint DevMinor);

    [LibraryImport("libc", EntryPoint = "llistxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial nint LListXattr(string path, byte* list, nuint size);

    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial nint LGetXattr(string path, string name, byte* value, nuint size);

    /// <summary>lstat through statx (one struct layout on every architecture).</summary>
    public static unsafe LinkStat LStat(string path)
    {
        var buffer = stackalloc byte[StatxBufferLength];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            throw Error("lstat", path);
        }

        var s = new ReadOnlySpan<byte>(buffer, StatxBufferLength);
        return new LinkStat(
            Mode: MemoryMarshal.Read<ushort>(s[28..]),
            Uid: MemoryMarshal.Read<uint>(s[20..]),
            Gid: MemoryMarshal.Read<uint>(s[24..]),
            NLink: MemoryMarshal.Read<uint>(s[16..]),
            Inode: MemoryMarshal.Read<ulong>(s[32..]),
            Size: MemoryMarshal.Read<long>(s[40..]),
            RDevMajor: MemoryMarshal.Read<uint>(s[128..]),
            RDevMinor: MemoryMarshal.Read<uint>(s[132..]),
            DevMajor: MemoryMarshal.Read<uint>(s[136..]),
            DevMinor: MemoryMarshal.Read<uint>(s[140..]));
    }

    /// <summary>The extended attribute names of a path itself (not a link's target); empty where the file system has none.</summary>
    public static unsafe List<string> ListXattrs(string path)
    {
        while (true)
        {
            var size = LListXattr(path, null, 0);
            if (size < 0)
            {
                return Marshal.GetLastPInvokeError() is EOpNotSupp ? [] : throw Error("llistxattr", path);
            }

            if (size == 0)
            {
                return [];
            }

            var list = new byte[size];
            fixed (byte* p = list)
            {
                var n = LListXattr(path, p, (nuint)list.Length);
                if (n < 0 && Marshal.GetLastPInvokeError() == ERange)
                {
                    continue; // grew in between
                }

                if (n < 0)
                {
                    throw Error("llistxattr", path);
                }

                return Encoding.UTF8.GetString(list, 0, (int)n).Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();
            }
        }
    }

    /// <summary>One extended attribute's raw value, or null when the path has none of that name.</summary>
    public static unsafe byte[]? GetXattr(string path, string name)
    {
        while (true)
        {
            var size = LGetXattr(path, name, null, 0);
            if (size < 0)
            {
                return Marshal.GetLastPInvokeError() is ENoData or EOpNotSupp ? null : throw Error($"lgetxattr {name}", path);
            }

            var value = new byte[size];
            fixed (byte* p = value)
            {
                var n = LGetXattr(path, name, p, (nuint)value.Length);
                if (n < 0 && Marshal.GetLastPInvokeError() == ERange)
                {
                    continue;
                }

                if (n < 0)
                {
                    throw Error($"lgetxattr {name}", path);
                }

                return value[..(int)n];
            }
        }
    }
}
