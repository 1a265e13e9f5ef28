using System.Runtime.InteropServices;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>libfuse3 <c>struct fuse_context</c> (40 bytes); private_data carries our mount id.</summary>
[StructLayout(LayoutKind.Explicit, Size = 40)]
public struct FuseContext
{
    [FieldOffset(0)] public nint Fuse;
    [FieldOffset(8)] public uint Uid;
    [FieldOffset(12)] public uint Gid;
    [FieldOffset(16)] public int Pid;
    [FieldOffset(24)] public nint PrivateData;
}
