using System.Runtime.InteropServices;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// libfuse3 <c>struct fuse_conn_info</c> (128 bytes), the fields init reads and sets: what the
/// kernel offers (<c>capable</c>) and what we ask for (<c>want</c>).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
public struct FuseConnectionInfo
{
    /// <summary>The kernel lets open answer ENOSYS: later opens then succeed without a request.</summary>
    public const uint NoOpenSupport = 1u << 17; // FUSE_CAP_NO_OPEN_SUPPORT

    /// <summary>The kernel lets opendir answer ENOSYS: later opendirs then succeed without a request (and no releasedir).</summary>
    public const uint NoOpendirSupport = 1u << 24; // FUSE_CAP_NO_OPENDIR_SUPPORT

    /// <summary>Listings may carry each entry's attributes (readdirplus).</summary>
    public const uint ReaddirPlus = 1u << 13; // FUSE_CAP_READDIRPLUS

    /// <summary>The kernel picks readdirplus or plain readdir per call by its own heuristics.</summary>
    public const uint ReaddirPlusAuto = 1u << 14; // FUSE_CAP_READDIRPLUS_AUTO

    /// <summary>The kernel caches readlink results in the page cache.</summary>
    public const uint CacheSymlinks = 1u << 23; // FUSE_CAP_CACHE_SYMLINKS

    [FieldOffset(8)] public uint MaxWrite;
    [FieldOffset(12)] public uint MaxRead;
    [FieldOffset(16)] public uint MaxReadahead;
    [FieldOffset(20)] public uint Capable;
    [FieldOffset(24)] public uint Want;
}
