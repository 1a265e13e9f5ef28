using System.Runtime.InteropServices;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// libfuse3 <c>struct fuse_operations</c>: 42 function pointers (336 bytes), in header order.
/// Unset slots stay zero so libfuse answers ENOSYS for them.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 336)]
public struct FuseOperations
{
    /// <summary>The C field names in slot order, so a spec can compare every offset with the header.</summary>
    public static readonly string[] CNames =
    [
        "getattr", "readlink", "mknod", "mkdir", "unlink", "rmdir", "symlink", "rename", "link", "chmod", "chown", "truncate", "open", "read", "write", "statfs", "flush", "release", "fsync", "setxattr", "getxattr", "listxattr", "removexattr", "opendir", "readdir", "releasedir", "fsyncdir", "init", "destroy", "access", "create", "lock", "utimens", "bmap", "ioctl", "poll", "write_buf", "read_buf", "flock", "fallocate", "copy_file_range", "lseek",
    ];

    [FieldOffset(0)] public nint Getattr;
    [FieldOffset(8)] public nint Readlink;
    [FieldOffset(16)] public nint Mknod;
    [FieldOffset(24)] public nint Mkdir;
    [FieldOffset(32)] public nint Unlink;
    [FieldOffset(40)] public nint Rmdir;
    [FieldOffset(48)] public nint Symlink;
    [FieldOffset(56)] public nint Rename;
    [FieldOffset(64)] public nint Link;
    [FieldOffset(72)] public nint Chmod;
    [FieldOffset(80)] public nint Chown;
    [FieldOffset(88)] public nint Truncate;
    [FieldOffset(96)] public nint Open;
    [FieldOffset(104)] public nint Read;
    [FieldOffset(112)] public nint Write;
    [FieldOffset(120)] public nint Statfs;
    [FieldOffset(128)] public nint Flush;
    [FieldOffset(136)] public nint Release;
    [FieldOffset(144)] public nint Fsync;
    [FieldOffset(152)] public nint Setxattr;
    [FieldOffset(160)] public nint Getxattr;
    [FieldOffset(168)] public nint Listxattr;
    [FieldOffset(176)] public nint Removexattr;
    [FieldOffset(184)] public nint Opendir;
    [FieldOffset(192)] public nint Readdir;
    [FieldOffset(200)] public nint Releasedir;
    [FieldOffset(208)] public nint Fsyncdir;
    [FieldOffset(216)] public nint Init;
    [FieldOffset(224)] public nint Destroy;
    [FieldOffset(232)] public nint Access;
    [FieldOffset(240)] public nint Create;
    [FieldOffset(248)] public nint Lock;
    [FieldOffset(256)] public nint Utimens;
    [FieldOffset(264)] public nint Bmap;
    [FieldOffset(272)] public nint Ioctl;
    [FieldOffset(280)] public nint Poll;
    [FieldOffset(288)] public nint WriteBuf;
    [FieldOffset(296)] public nint ReadBuf;
    [FieldOffset(304)] public nint Flock;
    [FieldOffset(312)] public nint Fallocate;
    [FieldOffset(320)] public nint CopyFileRange;
    [FieldOffset(328)] public nint Lseek;
}
