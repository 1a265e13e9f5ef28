using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// Extended attributes: the one served is security.capability, from the metadata file (the kernel
/// reads it on exec). getxattr/listxattr's contract: size 0 asks for the length, a smaller buffer
/// is ERANGE.
/// </summary>
internal static unsafe class XattrCallbacks
{
    /// <summary>"security.capability" and its NUL, as listxattr lists names.</summary>
    private static ReadOnlySpan<byte> CapabilityName => "security.capability\0"u8;

    public static void Install(ref FuseLowLevelOperations ops)
    {
        ops.GetXattr = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, byte*, nuint, void>)&GetXattr;
        ops.ListXattr = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, nuint, void>)&ListXattr;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void GetXattr(nint request, ulong ino, byte* name, nuint size)
    {
        try
        {
            if (!FuseSession.Of(request).TryNode(request, ino, out var node))
            {
                return;
            }

            if (node.Capability is not { } capability || !MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name).SequenceEqual(CapabilityName[..^1]))
            {
                FuseReply.Error(request, Errno.ENODATA);
                return;
            }

            Reply(request, capability, size);
        }
        catch (Exception e)
        {
            FuseReply.Fail(request, e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void ListXattr(nint request, ulong ino, nuint size)
    {
        try
        {
            if (!FuseSession.Of(request).TryNode(request, ino, out var node))
            {
                return;
            }

            Reply(request, node.Capability is null ? default : CapabilityName, size);
        }
        catch (Exception e)
        {
            FuseReply.Fail(request, e);
        }
    }

    private static void Reply(nint request, ReadOnlySpan<byte> data, nuint size)
    {
        if (size == 0)
        {
            LibFuse.ReplyXattrSize(request, (nuint)data.Length);
        }
        else if (size < (nuint)data.Length)
        {
            FuseReply.Error(request, Errno.ERANGE);
        }
        else
        {
            fixed (byte* pointer = data)
            {
                LibFuse.ReplyBuffer(request, pointer, (nuint)data.Length);
            }
        }
    }
}
