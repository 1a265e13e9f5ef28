using System.Buffers;
using Webc.BootSafe.Git;

namespace Webc.BootSafe.Mount.View;

/// <summary>
/// Streaming inflaters of large whole blobs shared by path-based reads (no open handle: the kernel
/// opens files without asking us). Each blob gets up to <see cref="PerBlob"/> cursors so parallel
/// readers at different offsets do not restart each other; a read goes to the cursor closest
/// behind its offset. At most <see cref="Total"/> cursors live at once (each is a pooled 1 MiB
/// window plus an inflater), least recently used out first.
/// </summary>
public sealed class StreamCursors(Func<ObjectId, (Stream Stream, long Size)> open) : IDisposable
{
    public const int PerBlob = 4;
    public const int Total = 16;

    private readonly LinkedList<(ObjectId Id, StreamingBlob Cursor)> _order = new();
    private readonly Lock _lock = new();

    /// <summary>As <see cref="OpenBlob.Serve{TState}"/>, through the cursor closest behind the offset.</summary>
    public void Serve<TState>(ObjectId id, long size, long offset, Span<byte> scratch, ReadOnlySpanAction<byte, TState> reply, TState state)
    {
        while (true)
        {
            StreamingBlob cursor;
            lock (_lock)
            {
                cursor = Choose(id, size, offset);
            }

            try
            {
                cursor.Serve(offset, scratch, reply, state);
                return;
            }
            catch (ObjectDisposedException)
            {
                // Another thread's read evicted this cursor meanwhile (before it replied); take another one.
            }
        }
    }

    private StreamingBlob Choose(ObjectId id, long size, long offset)
    {
        LinkedListNode<(ObjectId Id, StreamingBlob Cursor)>? best = null;
        LinkedListNode<(ObjectId Id, StreamingBlob Cursor)>? oldestOfBlob = null;
        var count = 0;
        for (var node = _order.First; node is not null; node = node.Next)
        {
            if (node.Value.Id != id)
            {
                continue;
            }

            count++;
            oldestOfBlob = node;
            var start = node.Value.Cursor.WindowStart;
            if (start <= offset && (best is null || start > best.Value.Cursor.WindowStart))
            {
                best = node;
            }
        }

        if (best is null && count >= PerBlob)
        {
            best = oldestOfBlob; // it restarts from the start: all of this blob's cursors are past the offset
        }

        if (best is not null)
        {
            _order.Remove(best);
            _order.AddFirst(best);
            return best.Value.Cursor;
        }

        var cursor = new StreamingBlob(() => open(id), size);
        _order.AddFirst((id, cursor));
        while (_order.Count > Total && _order.Last is { } last)
        {
            _order.RemoveLast();
            last.Value.Cursor.Dispose();
        }

        return cursor;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var (_, cursor) in _order)
            {
                cursor.Dispose();
            }

            _order.Clear();
        }
    }
}
