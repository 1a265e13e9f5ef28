using System.Runtime.InteropServices;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>libfuse3 <c>struct fuse_args</c> (24 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public unsafe struct FuseArgs
{
    [FieldOffset(0)] public int Argc;
    [FieldOffset(8)] public byte** Argv;
    [FieldOffset(16)] public int Allocated;
}
