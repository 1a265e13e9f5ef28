using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Webc.BootSafe.Mount.View;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// Requests about one node: lookup (a name in a directory), getattr, readlink, access, statfs.
/// Names arrive as bytes and are mapped one-to-one to chars (Latin-1), the same mapping tree names
/// use, so lookups allocate nothing and any byte name round-trips.
/// </summary>
internal static unsafe class NodeCallbacks
{
    private const int WriteOk = 2; // W_OK

    /// <summary>The kernel's own limit on a name in a FUSE request (FUSE_NAME_MAX).</summary>
    private const int NameMax = 1024;

    /// <summary>readlink(2) through FUSE reads into one page, NUL included.</summary>
    private const int LinkMax = 4095;

    public static void Install(ref FuseLowLevelOperations ops)
    {
        ops.Lookup = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, byte*, void>)&Lookup;
        ops.GetAttr = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, FuseFileInfo*, void>)&GetAttr;
        ops.ReadLink = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, void>)&ReadLink;
        ops.Access = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, int, void>)&Access;
        ops.StatFs = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, void>)&StatFs;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Lookup(nint request, ulong parentIno, byte* name)
    {
        try
        {
            var session = FuseSession.Of(request);
            if (!session.TryNode(request, parentIno, out var parent))
            {
                return;
            }

            if (!parent.IsDirectory)
            {
                FuseReply.Error(request, Errno.ENOTDIR);
                return;
            }

            var bytes = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name);
            if (bytes.Length > NameMax)
            {
                FuseReply.Error(request, Errno.ENAMETOOLONG);
                return;
            }

            Span<char> chars = stackalloc char[NameMax];
            var n = Encoding.Latin1.GetChars(bytes, chars);
            var child = session.View.Child(parent, chars[..n]);
            FuseEntryParam entry = default;
            if (child is null)
            {
                // A negative entry (node id 0) the kernel may keep: a commit never gains a name.
                entry.EntryTimeout = FuseReply.CacheSeconds;
            }
            else
            {
                NodeAttributes.Entry(session.View, child, &entry);
            }

            LibFuse.ReplyEntry(request, &entry);
        }
        catch (Exception e)
        {
            FuseReply.Fail(request, e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void GetAttr(nint request, ulong ino, FuseFileInfo* fi)
    {
        try
        {
            var session = FuseSession.Of(request);
            if (!session.TryNode(request, ino, out var node))
            {
                return;
            }

            Stat stat;
            NodeAttributes.Fill(session.View, node, &stat);
            LibFuse.ReplyAttr(request, &stat, FuseReply.CacheSeconds);
        }
        catch (Exception e)
        {
            FuseReply.Fail(request, e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void ReadLink(nint request, ulong ino)
    {
        try
        {
            var session = FuseSession.Of(request);
            if (!session.TryNode(request, ino, out var node))
            {
                return;
            }

            if (node.Kind != NodeKind.Symlink)
            {
                FuseReply.Error(request, Errno.EINVAL);
                return;
            }

            // Verbatim target, truncated to what the kernel accepts, NUL-terminated for libfuse.
            var target = session.View.ReadLink(node);
            var n = Math.Min(target.Length, LinkMax);
            var buffer = session.Buffer.Get((nuint)n + 1);
            target.AsSpan(0, n).CopyTo(new Span<byte>(buffer, n));
            buffer[n] = 0;
            LibFuse.ReplyReadLink(request, buffer);
        }
        catch (Exception e)
        {
            FuseReply.Fail(request, e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Access(nint request, ulong ino, int mask)
    {
        try
        {
            if (FuseSession.Of(request).TryNode(request, ino, out _))
            {
                FuseReply.Error(request, (mask & WriteOk) != 0 ? Errno.EROFS : 0);
            }
        }
        catch (Exception e)
        {
            FuseReply.Fail(request, e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void StatFs(nint request, ulong ino)
    {
        try
        {
            var view = FuseSession.Of(request).View;
            StatVfs st = default;
            st.BSize = 4096;
            st.FrSize = 4096;
            st.Blocks = (ulong)((view.PackBytes + 4095) / 4096);
            st.Files = (ulong)view.PackedObjectCount;
            st.Flag = StatVfs.ReadOnlyFlag;
            st.NameMax = 255;
            LibFuse.ReplyStatFs(request, &st);
        }
        catch (Exception e)
        {
            FuseReply.Fail(request, e);
        }
    }
}
