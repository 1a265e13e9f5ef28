namespace Webc.BootSafe.Mount.View;

/// <summary>
/// Prepares the listings a recursive walk (find, tar, du, rsync) asks for next. Each listing is a
/// round trip in which the kernel waits while the daemon reads the entry header of every file it
/// holds (a file's size) and the tree of every subdirectory (its link count); a cold walk waited
/// on the one loop thread for each, while the second core stayed idle.
/// <para>
/// A walk shows itself when a directory is listed after its parent was: from then on, a background
/// thread prepares that directory's subdirectories (first, as the walk enters them first) and its
/// later siblings, each once. A lone <c>ls</c> of a directory prepares nothing, and a walk prepares
/// only what it is about to list, so nothing is read that the walk itself would not read. What it
/// prepares is what <see cref="GitFsView"/> keeps anyway (loaded children, known sizes), under the
/// view's own locking; a failure is left for the listing itself to meet and report.
/// </para>
/// </summary>
public sealed class WalkAhead : IDisposable
{
    /// <summary>Directories waiting at most; a walk past this many keeps going, unprepared.</summary>
    private const int MaxPending = 4096;

    private readonly GitFsView _view;
    private readonly Stack<Node> _pending = new();
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _wake = new(0);
    private Thread? _thread;
    private volatile bool _stopped;
    private int _prepared;

    public WalkAhead(GitFsView view) => _view = view;

    /// <summary>Directories prepared so far (for specs; written by the walk-ahead thread, read by others).</summary>
    public int Prepared => Volatile.Read(ref _prepared);

    /// <summary>
    /// The kernel began listing <paramref name="directory"/> (its first request, on the loop thread).
    /// </summary>
    public void Listed(Node directory)
    {
        if (directory.Listed)
        {
            return;
        }

        directory.Listed = true;
        if (_stopped || directory.Parent is not { Listed: true } parent || directory.HostPath is not null)
        {
            return;
        }

        // Both already loaded: the parent was listed, and this listing loads its directory.
        var siblings = _view.Children(parent);
        var children = _view.Children(directory);
        var queued = false;
        lock (_lock)
        {
            // Popped last: the siblings after this one, in order; popped first: its own subdirectories.
            // A directory's subdirectories are queued once, by the first listing that reaches them,
            // so a parent of many directories is not scanned again for each one listed.
            queued |= QueueSubdirectories(parent, siblings, after: directory);
            queued |= QueueSubdirectories(directory, children, after: null);
            if (queued && _thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "git-fs walk ahead" };
                _thread.Start();
            }
        }

        if (queued)
        {
            _wake.Release();
        }
    }

    private bool QueueSubdirectories(Node owner, ReadOnlySpan<Node> children, Node? after)
    {
        if (owner.SubdirectoriesQueued)
        {
            return false;
        }

        owner.SubdirectoriesQueued = true;
        var queued = false;
        for (var k = children.Length - 1; k >= 0 && !ReferenceEquals(children[k], after) && _pending.Count < MaxPending; k--)
        {
            if (children[k] is { Kind: NodeKind.Directory, HostPath: null } subdirectory)
            {
                _pending.Push(subdirectory);
                queued = true;
            }
        }

        return queued;
    }

    private void Run()
    {
        while (true)
        {
            _wake.Wait();
            while (!_stopped)
            {
                Node? next;
                lock (_lock)
                {
                    if (!_pending.TryPop(out next))
                    {
                        break;
                    }
                }

                Prepare(next);
            }

            if (_stopped)
            {
                return;
            }
        }
    }

    /// <summary>What listing <paramref name="directory"/> reads: each file's size and each subdirectory's children.</summary>
    private void Prepare(Node directory)
    {
        try
        {
            foreach (var child in _view.Children(directory))
            {
                if (_stopped)
                {
                    return;
                }

                if (child.HostPath is not null)
                {
                    continue;
                }

                if (child.IsDirectory)
                {
                    _view.LinkCount(child);
                }
                else
                {
                    _view.SizeOf(child);
                }
            }

            Interlocked.Increment(ref _prepared);
        }
        catch (Exception)
        {
            // A damaged object: the listing that needs it reads it again and answers the error.
        }
    }

    /// <summary>Stops the thread and waits for it, before the view it reads is disposed.</summary>
    public void Dispose()
    {
        _stopped = true;
        _wake.Release();
        _thread?.Join();
        _wake.Dispose();
    }
}
