using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// The operations table handed to fuse_session_new, and init, where the kernel's offers are taken.
/// Requests name nodes by inode number (the low-level API), so none is resolved from a path.
/// Forget and forget_multi stay unset: nodes are never dropped (see InodeNumbers), so there is
/// nothing to count, and libfuse then answers them itself without calling into managed code.
/// </summary>
internal static unsafe class FuseCallbacks
{
    public static FuseLowLevelOperations Operations()
    {
        var ops = default(FuseLowLevelOperations);
        ops.Init = (nint)(delegate* unmanaged[Cdecl]<nint, FuseConnectionInfo*, void>)&Init;
        NodeCallbacks.Install(ref ops);
        XattrCallbacks.Install(ref ops);
        FileCallbacks.Install(ref ops);
        DirectoryCallbacks.Install(ref ops);
        ReadOnlyCallbacks.Install(ref ops);
        return ops;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Init(nint userData, FuseConnectionInfo* connection)
    {
        try
        {
            var session = FuseSession.FromUserData(userData);

            // A commit never changes under the mount: every kernel cache is safe to keep forever.
            // Opens cost two requests per file or directory (open, release) even with everything
            // cached; the kernel skips both once open (opendir) answers ENOSYS, keeps the page
            // cache, and for directories keeps the listing cached too.
            session.OpenWithoutRequests = (connection->Capable & FuseConnectionInfo.NoOpenSupport) != 0;
            session.OpendirWithoutRequests = (connection->Capable & FuseConnectionInfo.NoOpendirSupport) != 0;
            connection->Want |= connection->Capable & (FuseConnectionInfo.CacheSymlinks | FuseConnectionInfo.ReaddirPlus);

            // Always readdirplus, never the kernel's guess: every listing then carries the
            // attributes (find -ls, ls -l and tar stat every entry), instead of one LOOKUP per entry
            // for the parts of a large directory the heuristic lists plain.
            connection->Want &= ~FuseConnectionInfo.ReaddirPlusAuto;

            // The kernel lowers the mount's read-ahead to this (offered: what it had when it sent
            // init, 128 KiB); the mount raised it before serving (see ReadAhead), so ask to keep it.
            connection->MaxReadahead = Math.Max(connection->MaxReadahead, ReadAhead.Kilobytes * 1024u);
        }
        catch (Exception e)
        {
            // No reply to send here; the mount then works with libfuse's defaults.
            FuseReply.Report(e);
        }
    }
}
