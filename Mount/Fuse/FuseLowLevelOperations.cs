using System.Runtime.InteropServices;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// libfuse3 <c>struct fuse_lowlevel_ops</c> (3.14, FUSE_USE_VERSION 314): 44 function pointers (352
/// bytes), in header order. Unset slots stay zero: libfuse then answers the request itself (ENOSYS
/// for most; FORGET needs no answer, RELEASEDIR succeeds).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 352)]
public struct FuseLowLevelOperations
{
    /// <summary>The C field names in slot order, so a spec can compare every offset with the header.</summary>
    public static readonly string[] CNames =
    [
        "init", "destroy", "lookup", "forget", "getattr", "setattr", "readlink", "mknod", "mkdir", "unlink",
        "rmdir", "symlink", "rename", "link", "open", "read", "write", "flush", "release", "fsync",
        "opendir", "readdir", "releasedir", "fsyncdir", "statfs", "setxattr", "getxattr", "listxattr",
        "removexattr", "access", "create", "getlk", "setlk", "bmap", "ioctl", "poll", "write_buf",
        "retrieve_reply", "forget_multi", "flock", "fallocate", "readdirplus", "copy_file_range", "lseek",
    ];

    [FieldOffset(0)] public nint Init;
    [FieldOffset(8)] public nint Destroy;
    [FieldOffset(16)] public nint Lookup;
    [FieldOffset(24)] public nint Forget;
    [FieldOffset(32)] public nint GetAttr;
    [FieldOffset(40)] public nint SetAttr;
    [FieldOffset(48)] public nint ReadLink;
    [FieldOffset(56)] public nint Mknod;
    [FieldOffset(64)] public nint Mkdir;
    [FieldOffset(72)] public nint Unlink;
    [FieldOffset(80)] public nint Rmdir;
    [FieldOffset(88)] public nint Symlink;
    [FieldOffset(96)] public nint Rename;
    [FieldOffset(104)] public nint Link;
    [FieldOffset(112)] public nint Open;
    [FieldOffset(120)] public nint Read;
    [FieldOffset(128)] public nint Write;
    [FieldOffset(136)] public nint Flush;
    [FieldOffset(144)] public nint Release;
    [FieldOffset(152)] public nint Fsync;
    [FieldOffset(160)] public nint OpenDir;
    [FieldOffset(168)] public nint ReadDir;
    [FieldOffset(176)] public nint ReleaseDir;
    [FieldOffset(184)] public nint FsyncDir;
    [FieldOffset(192)] public nint StatFs;
    [FieldOffset(200)] public nint SetXattr;
    [FieldOffset(208)] public nint GetXattr;
    [FieldOffset(216)] public nint ListXattr;
    [FieldOffset(224)] public nint RemoveXattr;
    [FieldOffset(232)] public nint Access;
    [FieldOffset(240)] public nint Create;
    [FieldOffset(248)] public nint GetLk;
    [FieldOffset(256)] public nint SetLk;
    [FieldOffset(264)] public nint Bmap;
    [FieldOffset(272)] public nint Ioctl;
    [FieldOffset(280)] public nint Poll;
    [FieldOffset(288)] public nint WriteBuf;
    [FieldOffset(296)] public nint RetrieveReply;
    [FieldOffset(304)] public nint ForgetMulti;
    [FieldOffset(312)] public nint Flock;
    [FieldOffset(320)] public nint Fallocate;
    [FieldOffset(328)] public nint ReaddirPlus;
    [FieldOffset(336)] public nint CopyFileRange;
    [FieldOffset(344)] public nint Lseek;
}
