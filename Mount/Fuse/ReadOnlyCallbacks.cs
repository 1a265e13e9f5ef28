using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// Every modifying operation answers EROFS. The mount is also "ro", so the kernel normally refuses
/// first; these make the answer right even if a caller gets past that (or the option is dropped).
/// </summary>
internal static unsafe class ReadOnlyCallbacks
{
    public static void Install(ref FuseOperations ops)
    {
        ops.Mknod = (nint)(delegate* unmanaged[Cdecl]<byte*, uint, ulong, int>)&PathModeDev;
        ops.Mkdir = (nint)(delegate* unmanaged[Cdecl]<byte*, uint, int>)&PathMode;
        ops.Unlink = (nint)(delegate* unmanaged[Cdecl]<byte*, int>)&PathOnly;
        ops.Rmdir = (nint)(delegate* unmanaged[Cdecl]<byte*, int>)&PathOnly;
        ops.Symlink = (nint)(delegate* unmanaged[Cdecl]<byte*, byte*, int>)&TwoPaths;
        ops.Rename = (nint)(delegate* unmanaged[Cdecl]<byte*, byte*, uint, int>)&TwoPathsFlags;
        ops.Link = (nint)(delegate* unmanaged[Cdecl]<byte*, byte*, int>)&TwoPaths;
        ops.Chmod = (nint)(delegate* unmanaged[Cdecl]<byte*, uint, FuseFileInfo*, int>)&PathModeInfo;
        ops.Chown = (nint)(delegate* unmanaged[Cdecl]<byte*, uint, uint, FuseFileInfo*, int>)&Chown;
        ops.Truncate = (nint)(delegate* unmanaged[Cdecl]<byte*, long, FuseFileInfo*, int>)&Truncate;
        ops.Write = (nint)(delegate* unmanaged[Cdecl]<byte*, byte*, nuint, long, FuseFileInfo*, int>)&Write;
        ops.Setxattr = (nint)(delegate* unmanaged[Cdecl]<byte*, byte*, byte*, nuint, int, int>)&SetXattr;
        ops.Removexattr = (nint)(delegate* unmanaged[Cdecl]<byte*, byte*, int>)&TwoPaths;
        ops.Create = (nint)(delegate* unmanaged[Cdecl]<byte*, uint, FuseFileInfo*, int>)&PathModeInfo;
        ops.Utimens = (nint)(delegate* unmanaged[Cdecl]<byte*, void*, FuseFileInfo*, int>)&Utimens;
        ops.Fallocate = (nint)(delegate* unmanaged[Cdecl]<byte*, int, long, long, FuseFileInfo*, int>)&Fallocate;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PathOnly(byte* path) => -Errno.EROFS;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PathMode(byte* path, uint mode) => -Errno.EROFS;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PathModeDev(byte* path, uint mode, ulong dev) => -Errno.EROFS;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PathModeInfo(byte* path, uint mode, FuseFileInfo* fi) => -Errno.EROFS;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int TwoPaths(byte* from, byte* to) => -Errno.EROFS;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int TwoPathsFlags(byte* from, byte* to, uint flags) => -Errno.EROFS;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Chown(byte* path, uint uid, uint gid, FuseFileInfo* fi) => -Errno.EROFS;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Truncate(byte* path, long size, FuseFileInfo* fi) => -Errno.EROFS;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Write(byte* path, byte* buffer, nuint size, long offset, FuseFileInfo* fi) => -Errno.EROFS;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int SetXattr(byte* path, byte* name, byte* value, nuint size, int flags) => -Errno.EROFS;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Utimens(byte* path, void* times, FuseFileInfo* fi) => -Errno.EROFS;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Fallocate(byte* path, int mode, long offset, long length, FuseFileInfo* fi) => -Errno.EROFS;
}
