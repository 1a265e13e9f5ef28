using Webc.BootSafe.Mount.View;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// Per-mount state the C callbacks reach through fuse_context.private_data: the view and the open
/// file handles (an index into a slot list; fh 0 is never used).
/// </summary>
internal sealed class FuseSession(GitFsView view)
{
    private static readonly Lock RegistryLock = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<nint, FuseSession> Registry = new();
    private static nint _nextId;

    private readonly List<OpenBlob?> _handles = [null];
    private readonly Stack<int> _free = new();
    private readonly Lock _lock = new();

    public GitFsView View => view;

    /// <summary>
    /// Set in init when the kernel lets open answer ENOSYS: files are then opened without a request
    /// (and closed without a release), and reads come by path with no handle.
    /// </summary>
    public bool OpenWithoutRequests { get; set; }

    public nint Id { get; private set; }

    public static FuseSession Register(GitFsView view)
    {
        var session = new FuseSession(view);
        lock (RegistryLock)
        {
            session.Id = ++_nextId;
            Registry[session.Id] = session;
        }

        return session;
    }

    public static unsafe FuseSession Current()
    {
        // Lock-free: this runs on every request.
        return Registry[LibFuse.GetContext()->PrivateData];
    }

    public void Unregister()
    {
        Registry.TryRemove(Id, out _);

        lock (_lock)
        {
            foreach (var h in _handles)
            {
                h?.Dispose();
            }

            _handles.Clear();
        }
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
}
