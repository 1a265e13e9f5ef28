using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Webc.BootSafe.Mount.View;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// Per-mount state the C callbacks reach through the session's user data (a GC handle to this
/// object, see <see cref="Of"/>): the view, the reply buffer, what init negotiated, and the open
/// file handles (an index into a slot list; fh 0 is never used). Several mounts can live in one
/// process, each with its own session.
/// </summary>
internal sealed class FuseSession : IDisposable
{
    private readonly List<OpenBlob?> _handles = [null];
    private readonly Stack<int> _free = new();
    private readonly Lock _lock = new();
    private GCHandle _self;

    public FuseSession(GitFsView view)
    {
        View = view;
        WalkAhead = new WalkAhead(view);
        _self = GCHandle.Alloc(this);
    }

    public GitFsView View { get; }

    /// <summary>Prepares, on a second thread, the listings a recursive walk asks for next.</summary>
    public WalkAhead WalkAhead { get; }

    /// <summary>Where replies are built; used only on the session's loop thread.</summary>
    public ReplyBuffer Buffer { get; } = new();

    /// <summary>The user data handed to fuse_session_new.</summary>
    public nint UserData => GCHandle.ToIntPtr(_self);

    /// <summary>
    /// Set in init when the kernel lets open answer ENOSYS: files are then opened without a request
    /// (and closed without a release), and reads come with no handle.
    /// </summary>
    public bool OpenWithoutRequests { get; set; }

    /// <summary>
    /// Set in init when the kernel lets opendir answer ENOSYS: directories are then opened and
    /// closed without a request, and the kernel keeps their listings cached.
    /// </summary>
    public bool OpendirWithoutRequests { get; set; }

    /// <summary>The session a request belongs to (lock-free: this runs on every request).</summary>
    public static FuseSession Of(nint request) => FromUserData(LibFuse.RequestUserData(request));

    public static FuseSession FromUserData(nint userData) => (FuseSession)GCHandle.FromIntPtr(userData).Target!;

    /// <summary>
    /// The node a request names by number. False for a number never handed out, and the request is
    /// then already answered (ENOENT), so the callback only returns.
    /// </summary>
    public bool TryNode(nint request, ulong ino, [NotNullWhen(true)] out Node? node)
    {
        node = View.Find(ino);
        if (node is null)
        {
            FuseReply.Error(request, Errno.ENOENT);
            return false;
        }

        return true;
    }

    public ulong AddHandle(OpenBlob blob)
    {
        lock (_lock)
        {
            if (_free.TryPop(out var slot))
            {
                _handles[slot] = blob;
                return (ulong)slot;
            }

            _handles.Add(blob);
            return (ulong)(_handles.Count - 1);
        }
    }

    public OpenBlob? Handle(ulong fh)
    {
        lock (_lock)
        {
            return fh > 0 && fh < (ulong)_handles.Count ? _handles[(int)fh] : null;
        }
    }

    public void ReleaseHandle(ulong fh)
    {
        lock (_lock)
        {
            if (fh > 0 && fh < (ulong)_handles.Count && _handles[(int)fh] is { } blob)
            {
                blob.Dispose();
                _handles[(int)fh] = null;
                _free.Push((int)fh);
            }
        }
    }

    /// <summary>Only once the loop has ended: no callback can reach the session any more.</summary>
    public void Dispose()
    {
        WalkAhead.Dispose();
        lock (_lock)
        {
            foreach (var h in _handles)
            {
                h?.Dispose();
            }

            _handles.Clear();
        }

        Buffer.Dispose();
        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }
}
