using Webc.BootSafe.Git;

namespace Webc.BootSafe.Mount.View;

/// <summary>
/// The last few small blobs read, in buffers allocated once. The kernel's page cache keeps what was
/// read; what we keep only spares re-inflating a blob whose reads the kernel split into several
/// requests (read-ahead windows start small). Reusing fixed buffers matters more than hit rates:
/// a managed cache of one array per blob promoted every array it held to the oldest generation,
/// and a tar of 20,000 files then grew the heap by the whole tree's size until a full collection.
/// Keyed by object id within one view (one commit), never by path.
/// </summary>
public sealed class SmallBlobSlots(int slots, int slotBytes)
{
    private readonly byte[][] _buffers = Enumerable.Range(0, slots).Select(_ => new byte[slotBytes]).ToArray();
    private readonly ObjectId[] _ids = new ObjectId[slots];
    private readonly int[] _lengths = Enumerable.Repeat(-1, slots).ToArray();
    private readonly Lock _lock = new();
    private int _next;

    public int SlotBytes => slotBytes;

    /// <summary>Copies bytes of the blob from <paramref name="offset"/>; <paramref name="read"/> fetches it on a miss.</summary>
    public int Read(ObjectId id, long offset, Span<byte> destination, Func<ObjectId, byte[]> read)
    {
        lock (_lock)
        {
            var slot = Array.IndexOf(_ids, id);
            if (slot < 0 || _lengths[slot] < 0)
            {
                var content = read(id);
                if (content.Length > slotBytes)
                {
                    return Copy(content, content.Length, offset, destination); // larger than its size said: serve, do not keep
                }

                slot = _next;
                _next = (_next + 1) % _buffers.Length;
                content.CopyTo(_buffers[slot], 0);
                _ids[slot] = id;
                _lengths[slot] = content.Length;
            }

            return Copy(_buffers[slot], _lengths[slot], offset, destination);
        }
    }

    private static int Copy(byte[] content, int length, long offset, Span<byte> destination)
    {
        if (offset >= length)
        {
            return 0;
        }

        var n = (int)Math.Min(destination.Length, length - offset);
        content.AsSpan((int)offset, n).CopyTo(destination);
        return n;
    }
}
