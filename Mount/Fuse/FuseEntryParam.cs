using System.Runtime.InteropServices;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// libfuse3 <c>struct fuse_entry_param</c> (176 bytes): a lookup's or readdirplus entry's answer,
/// the node id (our inode number; 0 is a negative entry), its attributes and how long the kernel
/// may trust the name and the attributes.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 176)]
public struct FuseEntryParam
{
    [FieldOffset(0)] public ulong Ino;
    [FieldOffset(8)] public ulong Generation;
    [FieldOffset(16)] public Stat Attr;
    [FieldOffset(160)] public double AttrTimeout;
    [FieldOffset(168)] public double EntryTimeout;
}
