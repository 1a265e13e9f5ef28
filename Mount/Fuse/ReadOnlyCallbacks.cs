using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// Every modifying operation answers EROFS. The mount is also "ro", so the kernel normally refuses
/// first; these make the answer right even if a caller gets past that (or the option is dropped).
/// Unset, libfuse would answer ENOSYS, which reads as "not supported" rather than "read-only".
/// </summary>
internal static unsafe class ReadOnlyCallbacks
{
    public static void Install(ref FuseLowLevelOperations ops)
    {
        ops.SetAttr = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, Stat*, int, FuseFileInfo*, void>)&SetAttr;
        ops.Mknod = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, byte*, uint, ulong, void>)&Mknod;
        ops.Mkdir = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, byte*, uint, void>)&Mkdir;
        ops.Unlink = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, byte*, void>)&InoName;
        ops.Rmdir = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, byte*, void>)&InoName;
        ops.RemoveXattr = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, byte*, void>)&InoName;
        ops.Symlink = (nint)(delegate* unmanaged[Cdecl]<nint, byte*, ulong, byte*, void>)&Symlink;
        ops.Rename = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, byte*, ulong, byte*, uint, void>)&Rename;
        ops.Link = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, ulong, byte*, void>)&Link;
        ops.Write = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, byte*, nuint, long, FuseFileInfo*, void>)&Write;
        ops.SetXattr = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, byte*, byte*, nuint, int, void>)&SetXattr;
        ops.Create = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, byte*, uint, FuseFileInfo*, void>)&Create;
        ops.Fallocate = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, int, long, long, FuseFileInfo*, void>)&Fallocate;
        ops.CopyFileRange = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, long, FuseFileInfo*, ulong, long, FuseFileInfo*, nuint, int, void>)&CopyFileRange;
    }

    // fuse_reply_err cannot throw, so none of these can let an exception reach C.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void SetAttr(nint request, ulong ino, Stat* attr, int toSet, FuseFileInfo* fi) => LibFuse.ReplyError(request, Errno.EROFS);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Mknod(nint request, ulong parent, byte* name, uint mode, ulong rdev) => LibFuse.ReplyError(request, Errno.EROFS);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Mkdir(nint request, ulong parent, byte* name, uint mode) => LibFuse.ReplyError(request, Errno.EROFS);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void InoName(nint request, ulong ino, byte* name) => LibFuse.ReplyError(request, Errno.EROFS);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Symlink(nint request, byte* link, ulong parent, byte* name) => LibFuse.ReplyError(request, Errno.EROFS);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Rename(nint request, ulong parent, byte* name, ulong newParent, byte* newName, uint flags) => LibFuse.ReplyError(request, Errno.EROFS);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Link(nint request, ulong ino, ulong newParent, byte* newName) => LibFuse.ReplyError(request, Errno.EROFS);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Write(nint request, ulong ino, byte* buffer, nuint size, long offset, FuseFileInfo* fi) => LibFuse.ReplyError(request, Errno.EROFS);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void SetXattr(nint request, ulong ino, byte* name, byte* value, nuint size, int flags) => LibFuse.ReplyError(request, Errno.EROFS);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Create(nint request, ulong parent, byte* name, uint mode, FuseFileInfo* fi) => LibFuse.ReplyError(request, Errno.EROFS);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Fallocate(nint request, ulong ino, int mode, long offset, long length, FuseFileInfo* fi) => LibFuse.ReplyError(request, Errno.EROFS);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void CopyFileRange(nint request, ulong inoIn, long offsetIn, FuseFileInfo* fiIn, ulong inoOut, long offsetOut, FuseFileInfo* fiOut, nuint length, int flags) =>
        LibFuse.ReplyError(request, Errno.EROFS);
}
