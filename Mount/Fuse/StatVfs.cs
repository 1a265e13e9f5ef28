using System.Runtime.InteropServices;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>glibc x86_64 <c>struct statvfs</c> (112 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 112)]
public struct StatVfs
{
    public const ulong ReadOnlyFlag = 1; // ST_RDONLY

    [FieldOffset(0)] public ulong BSize;
    [FieldOffset(8)] public ulong FrSize;
    [FieldOffset(16)] public ulong Blocks;
    [FieldOffset(24)] public ulong BFree;
    [FieldOffset(32)] public ulong BAvail;
    [FieldOffset(40)] public ulong Files;
    [FieldOffset(48)] public ulong FFree;
    [FieldOffset(56)] public ulong FAvail;
    [FieldOffset(64)] public ulong FsId;
    [FieldOffset(72)] public ulong Flag;
    [FieldOffset(80)] public ulong NameMax;
}
