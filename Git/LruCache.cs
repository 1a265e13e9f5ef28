namespace Webc.BootSafe.Git;

/// <summary>
/// Byte arrays bounded by their total length, least recently used out first. Single-threaded use
/// is the common case (the FUSE loop), but a lock keeps concurrent in-process readers safe.
/// </summary>
public sealed class LruCache<TKey>(long capacityBytes) where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, byte[] Value)>> _map = new();
    private readonly LinkedList<(TKey Key, byte[] Value)> _order = new();
    private readonly Lock _lock = new();
    private long _bytes;

    public long CapacityBytes => capacityBytes;

    public long Bytes => _bytes;

    public bool TryGet(TKey key, out byte[] value)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                value = node.Value.Value;
                return true;
            }
        }

        value = [];
        return false;
    }

    public void Add(TKey key, byte[] value)
    {
        if (value.LongLength > capacityBytes / 4)
        {
            return; // one huge entry would flush everything useful
        }

        lock (_lock)
        {
            if (_map.ContainsKey(key))
            {
                return;
            }

            _map[key] = _order.AddFirst((key, value));
            _bytes += value.LongLength;
            while (_bytes > capacityBytes && _order.Last is { } last)
            {
                _order.RemoveLast();
                _map.Remove(last.Value.Key);
                _bytes -= last.Value.Value.LongLength;
            }
        }
    }
}
