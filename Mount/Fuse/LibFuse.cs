using System.Runtime.InteropServices;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// libfuse3's low-level API (all FUSE_3.0 symbols, unversioned in 3.14): a session served by
/// inode number, so no request turns into a path. fuse_session_loop is the single-threaded loop
/// (fastest per request: no thread hand-offs, and content is static). A callback answers its
/// request with exactly one reply call.
/// </summary>
internal static unsafe partial class LibFuse
{
    private const string Library = "libfuse3.so.3";

    [LibraryImport(Library, EntryPoint = "fuse_session_new")]
    internal static partial nint SessionNew(FuseArgs* args, FuseLowLevelOperations* operations, nuint operationsSize, nint userData);

    [LibraryImport(Library, EntryPoint = "fuse_session_mount", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SessionMount(nint session, string mountPoint);

    [LibraryImport(Library, EntryPoint = "fuse_session_loop")]
    internal static partial int SessionLoop(nint session);

    [LibraryImport(Library, EntryPoint = "fuse_session_unmount")]
    internal static partial void SessionUnmount(nint session);

    [LibraryImport(Library, EntryPoint = "fuse_session_destroy")]
    internal static partial void SessionDestroy(nint session);

    /// <summary>The user data given to fuse_session_new: our session's GC handle.</summary>
    [LibraryImport(Library, EntryPoint = "fuse_req_userdata")]
    internal static partial nint RequestUserData(nint request);

    [LibraryImport(Library, EntryPoint = "fuse_reply_err")]
    internal static partial int ReplyError(nint request, int errno);

    [LibraryImport(Library, EntryPoint = "fuse_reply_entry")]
    internal static partial int ReplyEntry(nint request, FuseEntryParam* entry);

    [LibraryImport(Library, EntryPoint = "fuse_reply_attr")]
    internal static partial int ReplyAttr(nint request, Stat* attr, double timeout);

    /// <summary>A NUL-terminated symlink target.</summary>
    [LibraryImport(Library, EntryPoint = "fuse_reply_readlink")]
    internal static partial int ReplyReadLink(nint request, byte* link);

    [LibraryImport(Library, EntryPoint = "fuse_reply_open")]
    internal static partial int ReplyOpen(nint request, FuseFileInfo* fileInfo);

    [LibraryImport(Library, EntryPoint = "fuse_reply_buf")]
    internal static partial int ReplyBuffer(nint request, byte* buffer, nuint size);

    [LibraryImport(Library, EntryPoint = "fuse_reply_statfs")]
    internal static partial int ReplyStatFs(nint request, StatVfs* stat);

    /// <summary>The size an extended attribute (or the name list) needs, for a getxattr/listxattr of size 0.</summary>
    [LibraryImport(Library, EntryPoint = "fuse_reply_xattr")]
    internal static partial int ReplyXattrSize(nint request, nuint count);

    /// <summary>Writes one readdirplus entry at <paramref name="buffer"/> if it fits; returns the size it needs either way.</summary>
    [LibraryImport(Library, EntryPoint = "fuse_add_direntry_plus")]
    internal static partial nuint AddDirEntryPlus(nint request, byte* buffer, nuint size, byte* name, FuseEntryParam* entry, long nextOffset);

    /// <summary>Writes one plain readdir entry (only st_ino and the type bits of st_mode are used); returns the size it needs.</summary>
    [LibraryImport(Library, EntryPoint = "fuse_add_direntry")]
    internal static partial nuint AddDirEntry(nint request, byte* buffer, nuint size, byte* name, Stat* stat, long nextOffset);
}
