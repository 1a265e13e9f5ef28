using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Webc.BootSafe.Mount.View;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// Files: open, read, release. When the kernel offers it, open answers ENOSYS once and from then on
/// files open and close without a request; reads then come with no handle and go by node.
/// Otherwise each open gets a handle (an open blob) that release drops.
/// </summary>
internal static unsafe class FileCallbacks
{
    private const int AccessMode = 3; // O_ACCMODE

    public static void Install(ref FuseLowLevelOperations ops)
    {
        ops.Open = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, FuseFileInfo*, void>)&Open;
        ops.Read = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, nuint, long, FuseFileInfo*, void>)&Read;
        ops.Release = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, FuseFileInfo*, void>)&Release;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Open(nint request, ulong ino, FuseFileInfo* fi)
    {
        try
        {
            if ((fi->Flags & AccessMode) != 0)
            {
                FuseReply.Error(request, Errno.EROFS);
                return;
            }

            var session = FuseSession.Of(request);
            if (!session.TryNode(request, ino, out var node))
            {
                return;
            }

            var refusal = node.IsDirectory ? Errno.EISDIR
                : node.Kind == NodeKind.Symlink ? Errno.EINVAL
                : session.OpenWithoutRequests ? Errno.ENOSYS // success, and no open or release requests from now on
                : 0;
            if (refusal != 0)
            {
                FuseReply.Error(request, refusal);
                return;
            }

            fi->Fh = session.AddHandle(session.View.Open(node));
            fi->BitFields |= FuseFileInfo.KeepCacheBit;
            if (LibFuse.ReplyOpen(request, fi) == -Errno.ENOENT)
            {
                session.ReleaseHandle(fi->Fh); // the opener was interrupted: no release will come
            }
        }
        catch (Exception e)
        {
            FuseReply.Fail(request, e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Read(nint request, ulong ino, nuint size, long offset, FuseFileInfo* fi)
    {
        try
        {
            var session = FuseSession.Of(request);
            var length = (int)Math.Min(size, int.MaxValue);
            var buffer = session.Buffer.Get((nuint)length);
            var destination = new Span<byte>(buffer, length);
            if (fi is null || fi->Fh == 0)
            {
                // Opened without a request: the node says what to read.
                if (!session.TryNode(request, ino, out var node))
                {
                    return;
                }

                if (node.IsDirectory)
                {
                    FuseReply.Error(request, Errno.EISDIR);
                    return;
                }

                session.View.ServeAt(node, offset, destination, ReplyBytes, request);
            }
            else if (session.Handle(fi->Fh) is { } blob)
            {
                blob.Serve(offset, destination, ReplyBytes, request);
            }
            else
            {
                FuseReply.Error(request, Errno.EBADF);
            }
        }
        catch (Exception e)
        {
            FuseReply.Fail(request, e);
        }
    }

    // The last step of a read: nothing after it can throw, so a read is never answered twice.
    private static readonly System.Buffers.ReadOnlySpanAction<byte, nint> ReplyBytes = static (bytes, request) =>
    {
        fixed (byte* data = bytes)
        {
            LibFuse.ReplyBuffer(request, data, (nuint)bytes.Length);
        }
    };

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Release(nint request, ulong ino, FuseFileInfo* fi)
    {
        try
        {
            FuseSession.Of(request).ReleaseHandle(fi->Fh);
            FuseReply.Error(request, 0);
        }
        catch (Exception e)
        {
            FuseReply.Fail(request, e);
        }
    }
}
