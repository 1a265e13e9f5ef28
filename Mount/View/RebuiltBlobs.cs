using Webc.BootSafe.Git;

namespace Webc.BootSafe.Mount.View;

/// <summary>
/// Delta-compressed blobs rebuilt whole in memory, one copy per blob whatever the number of
/// readers. Idle copies are kept (most recently used first) within a byte budget so a reopen or the
/// next read request does not rebuild; a copy evicted while a reader still holds it stays reachable
/// through a weak reference and is handed out again rather than rebuilt twice. The most recent copy
/// is always kept, even when it alone exceeds the budget, or path-based reads of it would rebuild it
/// on every request.
/// </summary>
public sealed class RebuiltBlobs(long budgetBytes)
{
    private readonly Dictionary<ObjectId, LinkedListNode<(ObjectId Id, byte[] Data)>> _kept = new();
    private readonly LinkedList<(ObjectId Id, byte[] Data)> _order = new();
    private readonly Dictionary<ObjectId, WeakReference<byte[]>> _alive = new();
    private readonly Lock _lock = new();
    private readonly Lock _rebuildLock = new();
    private long _keptBytes;

    public long BudgetBytes => budgetBytes;

    /// <summary>Bytes held strongly now (at most the budget, or the single most recent copy).</summary>
    public long KeptBytes
    {
        get
        {
            lock (_lock)
            {
                return _keptBytes;
            }
        }
    }

    /// <summary>Times a blob was rebuilt (for specs: parallel readers must not multiply it).</summary>
    public int Rebuilds { get; private set; }

    public byte[] Get(ObjectId id, Func<ObjectId, byte[]> rebuild)
    {
        if (TryFind(id, out var data))
        {
            return data;
        }

        // One rebuild at a time: parallel first readers of the same blob wait for the one copy
        // instead of each building their own (the peak would otherwise grow with the readers).
        lock (_rebuildLock)
        {
            if (TryFind(id, out data))
            {
                return data;
            }

            data = rebuild(id);
            Rebuilds++;
            lock (_lock)
            {
                _alive[id] = new WeakReference<byte[]>(data);
                Keep(id, data);
                PruneDeadReferences();
            }

            return data;
        }
    }

    private bool TryFind(ObjectId id, out byte[] data)
    {
        lock (_lock)
        {
            if (_kept.TryGetValue(id, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                data = node.Value.Data;
                return true;
            }

            if (_alive.TryGetValue(id, out var weak) && weak.TryGetTarget(out var alive))
            {
                Keep(id, alive);
                data = alive;
                return true;
            }
        }

        data = [];
        return false;
    }

    private void Keep(ObjectId id, byte[] data)
    {
        _kept[id] = _order.AddFirst((id, data));
        _keptBytes += data.LongLength;
        while (_keptBytes > budgetBytes && _order.Count > 1 && _order.Last is { } last)
        {
            _order.RemoveLast();
            _kept.Remove(last.Value.Id);
            _keptBytes -= last.Value.Data.LongLength;
        }
    }

    private void PruneDeadReferences()
    {
        foreach (var (id, weak) in _alive.Where(e => !e.Value.TryGetTarget(out _)).ToList())
        {
            _alive.Remove(id);
        }
    }
}
