using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Webc.BootSafe.Mount.View;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// The C callbacks libfuse calls (path-based high-level API). Each finds its mount's session
/// through the fuse context, never lets an exception cross into C (that would abort the process),
/// and answers -errno. Paths arrive as bytes and are mapped one-to-one to chars (Latin-1), the
/// same mapping tree names use, so lookups allocate nothing and any byte name round-trips.
/// </summary>
internal static unsafe class FuseCallbacks
{
    private const double CacheSeconds = 365 * 24 * 3600; // content of a commit never changes
    private const int ReaddirPlus = 1; // FUSE_READDIR_PLUS
    private const int FillDirPlus = 2; // FUSE_FILL_DIR_PLUS
    private const int AccessMode = 3; // O_ACCMODE
    private const int WriteOk = 2; // W_OK

    public static FuseOperations Operations()
    {
        var ops = default(FuseOperations);
        ops.Getattr = (nint)(delegate* unmanaged[Cdecl]<byte*, Stat*, FuseFileInfo*, int>)&GetAttr;
        ops.Readlink = (nint)(delegate* unmanaged[Cdecl]<byte*, byte*, nuint, int>)&ReadLink;
        ops.Open = (nint)(delegate* unmanaged[Cdecl]<byte*, FuseFileInfo*, int>)&Open;
        ops.Read = (nint)(delegate* unmanaged[Cdecl]<byte*, byte*, nuint, long, FuseFileInfo*, int>)&Read;
        ops.Release = (nint)(delegate* unmanaged[Cdecl]<byte*, FuseFileInfo*, int>)&Release;
        ops.Statfs = (nint)(delegate* unmanaged[Cdecl]<byte*, StatVfs*, int>)&StatFs;
        ops.Opendir = (nint)(delegate* unmanaged[Cdecl]<byte*, FuseFileInfo*, int>)&OpenDir;
        ops.Readdir = (nint)(delegate* unmanaged[Cdecl]<byte*, void*, nint, long, FuseFileInfo*, int, int>)&ReadDir;
        ops.Init = (nint)(delegate* unmanaged[Cdecl]<FuseConnectionInfo*, FuseConfig*, nint>)&Init;
        ops.Access = (nint)(delegate* unmanaged[Cdecl]<byte*, int, int>)&Access;
        ops.Getxattr = (nint)(delegate* unmanaged[Cdecl]<byte*, byte*, byte*, nuint, int>)&GetXattr;
        ops.Listxattr = (nint)(delegate* unmanaged[Cdecl]<byte*, byte*, nuint, int>)&ListXattr;
        ReadOnlyCallbacks.Install(ref ops);
        return ops;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nint Init(FuseConnectionInfo* connection, FuseConfig* config)
    {
        // A commit never changes under the mount: every kernel cache is safe to keep forever.
        // Opens cost two requests per file (open, release) even with every page cached; the
        // kernel can skip both when open answers ENOSYS once, and then keeps the page cache.
        if ((connection->Capable & FuseConnectionInfo.NoOpenSupport) != 0)
        {
            FuseSession.Current().OpenWithoutRequests = true;
        }

        connection->Want |= connection->Capable & FuseConnectionInfo.CacheSymlinks;
        config->UseIno = 1;
        config->ReaddirIno = 1;
        config->KernelCache = 1;
        config->EntryTimeout = CacheSeconds;
        config->AttrTimeout = CacheSeconds;
        config->NegativeTimeout = CacheSeconds;
        return LibFuse.GetContext()->PrivateData;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int GetAttr(byte* path, Stat* stat, FuseFileInfo* fi)
    {
        try
        {
            var session = FuseSession.Current();
            var node = Find(session.View, path);
            if (node is null)
            {
                return -Errno.ENOENT;
            }

            Fill(session.View, node, stat);
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int ReadLink(byte* path, byte* buffer, nuint size)
    {
        try
        {
            var view = FuseSession.Current().View;
            var node = Find(view, path);
            if (node is null)
            {
                return -Errno.ENOENT;
            }

            if (node.Kind != NodeKind.Symlink || size == 0)
            {
                return -Errno.EINVAL;
            }

            // Verbatim target, truncated to the buffer and NUL-terminated as readlink(2) via FUSE expects.
            var target = view.ReadLink(node);
            var n = (int)Math.Min((ulong)target.Length, size - 1);
            target.AsSpan(0, n).CopyTo(new Span<byte>(buffer, n));
            buffer[n] = 0;
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Open(byte* path, FuseFileInfo* fi)
    {
        try
        {
            if ((fi->Flags & AccessMode) != 0)
            {
                return -Errno.EROFS;
            }

            var session = FuseSession.Current();
            var node = Find(session.View, path);
            if (node is null)
            {
                return -Errno.ENOENT;
            }

            if (node.IsDirectory)
            {
                return -Errno.EISDIR;
            }

            if (node.Kind == NodeKind.Symlink)
            {
                return -Errno.EINVAL;
            }

            if (session.OpenWithoutRequests)
            {
                return -Errno.ENOSYS; // success, and no open or release requests from now on
            }

            fi->Fh = session.AddHandle(session.View.Open(node));
            fi->BitFields |= FuseFileInfo.KeepCacheBit;
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Read(byte* path, byte* buffer, nuint size, long offset, FuseFileInfo* fi)
    {
        try
        {
            var session = FuseSession.Current();

            // Straight into libfuse's reply buffer: no per-request managed allocation.
            var destination = new Span<byte>(buffer, (int)Math.Min(size, int.MaxValue));
            if (fi is null || fi->Fh == 0)
            {
                // Opened without a request: the path says what to read.
                var node = Find(session.View, path);
                return node is null ? -Errno.ENOENT : node.IsDirectory ? -Errno.EISDIR : session.View.ReadAt(node, offset, destination);
            }

            var blob = session.Handle(fi->Fh);
            if (blob is null)
            {
                return -Errno.EBADF;
            }

            return blob.Read(offset, destination);
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Release(byte* path, FuseFileInfo* fi)
    {
        try
        {
            FuseSession.Current().ReleaseHandle(fi->Fh);
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int StatFs(byte* path, StatVfs* st)
    {
        try
        {
            var view = FuseSession.Current().View;
            *st = default;
            st->BSize = 4096;
            st->FrSize = 4096;
            st->Blocks = (ulong)((view.PackBytes + 4095) / 4096);
            st->Files = (ulong)view.PackedObjectCount;
            st->Flag = StatVfs.ReadOnlyFlag;
            st->NameMax = 255;
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OpenDir(byte* path, FuseFileInfo* fi)
    {
        try
        {
            var node = Find(FuseSession.Current().View, path);
            if (node is null)
            {
                return -Errno.ENOENT;
            }

            if (!node.IsDirectory)
            {
                return -Errno.ENOTDIR;
            }

            // The listing never changes: the kernel may keep it and answer later readdirs itself.
            fi->BitFields |= FuseFileInfo.KeepCacheBit | FuseFileInfo.CacheReaddirBit;
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int ReadDir(byte* path, void* buffer, nint filler, long offset, FuseFileInfo* fi, int flags)
    {
        try
        {
            var view = FuseSession.Current().View;
            var node = Find(view, path);
            if (node is null)
            {
                return -Errno.ENOENT;
            }

            if (!node.IsDirectory)
            {
                return -Errno.ENOTDIR;
            }

            var fill = (delegate* unmanaged[Cdecl]<void*, byte*, Stat*, long, int, int>)filler;
            var dot = stackalloc byte[] { (byte)'.', 0, (byte)'.', (byte)'.', 0 };
            fill(buffer, dot, null, 0, 0);
            fill(buffer, dot + 2, null, 0, 0);

            var plus = (flags & ReaddirPlus) != 0;
            Span<byte> name = stackalloc byte[256];
            Stat stat;
            foreach (var child in view.Children(node))
            {
                if (child.Name.Length > 255)
                {
                    continue; // the kernel cannot look up a name this long
                }

                var n = Encoding.Latin1.GetBytes(child.Name, name);
                name[n] = 0;
                Stat* statPointer = null;
                if (plus)
                {
                    Fill(view, child, &stat);
                    statPointer = &stat;
                }

                fixed (byte* namePointer = name)
                {
                    if (fill(buffer, namePointer, statPointer, 0, plus ? FillDirPlus : 0) != 0)
                    {
                        return -Errno.EIO; // libfuse could not grow its buffer
                    }
                }
            }

            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Access(byte* path, int mask)
    {
        try
        {
            if (Find(FuseSession.Current().View, path) is null)
            {
                return -Errno.ENOENT;
            }

            return (mask & WriteOk) != 0 ? -Errno.EROFS : 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int GetXattr(byte* path, byte* name, byte* value, nuint size)
    {
        try
        {
            var node = Find(FuseSession.Current().View, path);
            if (node is null)
            {
                return -Errno.ENOENT;
            }

            // The one attribute served: file capabilities from the metadata file (the kernel reads it on exec).
            if (node.Capability is not { } capability || !MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name).SequenceEqual(CapabilityName[..^1]))
            {
                return -Errno.ENODATA;
            }

            return Reply(capability, value, size);
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int ListXattr(byte* path, byte* list, nuint size)
    {
        try
        {
            var node = Find(FuseSession.Current().View, path);
            if (node is null)
            {
                return -Errno.ENOENT;
            }

            return node.Capability is null ? 0 : Reply(CapabilityName, list, size);
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    /// <summary>"security.capability" and its NUL, as listxattr lists names.</summary>
    private static ReadOnlySpan<byte> CapabilityName => "security.capability\0"u8;

    /// <summary>getxattr/listxattr's contract: size 0 asks for the length; a smaller buffer is ERANGE.</summary>
    private static int Reply(ReadOnlySpan<byte> data, byte* buffer, nuint size)
    {
        if (size == 0)
        {
            return data.Length;
        }

        if (size < (nuint)data.Length)
        {
            return -Errno.ERANGE;
        }

        data.CopyTo(new Span<byte>(buffer, data.Length));
        return data.Length;
    }

    private static void Fill(GitFsView view, Node node, Stat* stat)
    {
        var size = view.SizeOf(node);
        *stat = default;
        stat->Ino = node.Ino;
        stat->Mode = (uint)node.Mode;
        stat->NLink = (ulong)view.LinkCount(node);
        stat->Uid = node.Uid;
        stat->Gid = node.Gid;
        stat->RDev = node.RDev;
        stat->Size = size;
        stat->BlkSize = 4096;
        stat->Blocks = (size + 511) / 512;
        stat->ATimeSec = stat->MTimeSec = stat->CTimeSec = view.CommitTimeSeconds;
    }

    private static Node? Find(GitFsView view, byte* path)
    {
        var bytes = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(path);
        char[]? rented = null;
        var chars = bytes.Length <= 1024 ? stackalloc char[1024] : (rented = ArrayPool<char>.Shared.Rent(bytes.Length));
        try
        {
            var n = Encoding.Latin1.GetChars(bytes, chars);
            return view.Lookup(chars[..n]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The kernel gets EIO; the operator gets the reason (a damaged pack, a missing object).</summary>
    private static int Fail(Exception e)
    {
        Console.Error.WriteLine($"git-fs: {e.GetType().Name}: {e.Message}");
        return -Errno.EIO;
    }
}
