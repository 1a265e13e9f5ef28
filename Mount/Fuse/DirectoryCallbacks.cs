using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Webc.BootSafe.Mount.View;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// Directories: opendir, readdir, readdirplus. When the kernel offers it, opendir answers ENOSYS
/// once; the kernel then opens and closes directories without a request and keeps each listing
/// cached (a no-open directory gets keep_cache and cache_dir). Otherwise opendir answers with both
/// flags itself. No directory handle is kept either way (releasedir stays unset: libfuse answers it).
/// <para>
/// A listing is ".", "..", then the children in tree order; entry k carries offset k + 1, where the
/// next request resumes, so a listing that spans several reply buffers continues exactly. Names
/// longer than 255 bytes are left out: readdir(3) could not return them.
/// </para>
/// </summary>
internal static unsafe class DirectoryCallbacks
{
    private const int NameMax = 255;

    public static void Install(ref FuseLowLevelOperations ops)
    {
        ops.OpenDir = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, FuseFileInfo*, void>)&OpenDir;
        ops.ReadDir = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, nuint, long, FuseFileInfo*, void>)&ReadDir;
        ops.ReaddirPlus = (nint)(delegate* unmanaged[Cdecl]<nint, ulong, nuint, long, FuseFileInfo*, void>)&ReaddirPlus;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OpenDir(nint request, ulong ino, FuseFileInfo* fi)
    {
        try
        {
            var session = FuseSession.Of(request);
            if (!session.TryNode(request, ino, out var node))
            {
                return;
            }

            var refusal = !node.IsDirectory ? Errno.ENOTDIR
                : session.OpendirWithoutRequests ? Errno.ENOSYS // success, and no opendir or releasedir requests from now on
                : 0;
            if (refusal != 0)
            {
                FuseReply.Error(request, refusal);
                return;
            }

            // The listing never changes: the kernel may keep it and answer later readdirs itself.
            fi->BitFields |= FuseFileInfo.KeepCacheBit | FuseFileInfo.CacheReaddirBit;
            LibFuse.ReplyOpen(request, fi);
        }
        catch (Exception e)
        {
            FuseReply.Fail(request, e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void ReadDir(nint request, ulong ino, nuint size, long offset, FuseFileInfo* fi) => List(request, ino, size, offset, plus: false);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void ReaddirPlus(nint request, ulong ino, nuint size, long offset, FuseFileInfo* fi) => List(request, ino, size, offset, plus: true);

    private static void List(nint request, ulong ino, nuint size, long offset, bool plus)
    {
        try
        {
            var session = FuseSession.Of(request);
            if (!session.TryNode(request, ino, out var directory))
            {
                return;
            }

            if (!directory.IsDirectory)
            {
                FuseReply.Error(request, Errno.ENOTDIR);
                return;
            }

            var view = session.View;
            var children = view.Children(directory);
            if (offset <= 0)
            {
                session.WalkAhead.Listed(directory);
            }

            var buffer = session.Buffer.Get(size);
            nuint used = 0;
            var name = stackalloc byte[NameMax + 1];
            FuseEntryParam entry;
            for (var k = Math.Max(offset, 0); k < children.Length + 2L; k++)
            {
                Node node;
                if (k < 2)
                {
                    name[0] = name[1] = (byte)'.';
                    name[k + 1] = 0;
                    node = k == 0 ? directory : directory.Parent ?? directory;
                }
                else
                {
                    node = children[(int)(k - 2)];
                    if (node.Name.Length > NameMax)
                    {
                        continue;
                    }

                    var n = Encoding.Latin1.GetBytes(node.Name, new Span<byte>(name, NameMax));
                    name[n] = 0;
                }

                nuint needed;
                if (plus && k >= 2)
                {
                    NodeAttributes.Entry(view, node, &entry);
                    needed = LibFuse.AddDirEntryPlus(request, buffer + used, size - used, name, &entry, k + 1);
                }
                else if (plus)
                {
                    // "." and "..": the kernel links no entry for them, so node id 0 and only the number and type.
                    entry = default;
                    entry.Attr.Ino = node.Ino;
                    entry.Attr.Mode = (uint)node.Mode;
                    needed = LibFuse.AddDirEntryPlus(request, buffer + used, size - used, name, &entry, k + 1);
                }
                else
                {
                    Stat stat = default;
                    stat.Ino = node.Ino;
                    stat.Mode = (uint)node.Mode;
                    needed = LibFuse.AddDirEntry(request, buffer + used, size - used, name, &stat, k + 1);
                }

                if (needed > size - used)
                {
                    break; // not written; the next request starts at this entry's offset
                }

                used += needed;
            }

            LibFuse.ReplyBuffer(request, buffer, used);
        }
        catch (Exception e)
        {
            FuseReply.Fail(request, e);
        }
    }
}
