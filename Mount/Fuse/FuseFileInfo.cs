using System.Runtime.InteropServices;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// libfuse3 <c>struct fuse_file_info</c> (40 bytes). The bit-field word after <c>flags</c> starts
/// with writepage (bit 0), direct_io (bit 1), keep_cache (bit 2), then flush, nonseekable,
/// flock_release, cache_readdir (bit 6), noflush (bit 7).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 40)]
public struct FuseFileInfo
{
    public const uint KeepCacheBit = 1u << 2;

    /// <summary>cache_readdir (bit 6): the kernel keeps a directory's listing in its page cache.</summary>
    public const uint CacheReaddirBit = 1u << 6;

    [FieldOffset(0)] public int Flags;
    [FieldOffset(4)] public uint BitFields;
    [FieldOffset(16)] public ulong Fh;
    [FieldOffset(24)] public ulong LockOwner;
    [FieldOffset(32)] public uint PollEvents;
}
