using System.Runtime.InteropServices;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>libfuse3 <c>struct fuse_config</c> (128 bytes), the fields we set in init.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
public struct FuseConfig
{
    [FieldOffset(24)] public double EntryTimeout;
    [FieldOffset(32)] public double NegativeTimeout;
    [FieldOffset(40)] public double AttrTimeout;
    [FieldOffset(64)] public int UseIno;
    [FieldOffset(68)] public int ReaddirIno;
    [FieldOffset(76)] public int KernelCache;
    [FieldOffset(104)] public int NullPathOk;
}
