using System.Runtime.InteropServices;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// Native memory a reply is built in (read data, directory entries, a symlink target), grown to the
/// largest request seen and reused. The low-level API leaves the buffer to us; one per session is
/// enough because its loop is single-threaded and each request is answered before the next is read.
/// Allocating per reply cut read throughput several-fold (docs: libfuse3-binding notes).
/// </summary>
internal sealed unsafe class ReplyBuffer : IDisposable
{
    private byte* _memory;
    private nuint _size;

    /// <summary>At least <paramref name="size"/> bytes; the contents are not kept across calls.</summary>
    public byte* Get(nuint size)
    {
        if (size > _size)
        {
            Dispose();
            _memory = (byte*)NativeMemory.Alloc(size);
            _size = size;
        }

        return _memory;
    }

    public void Dispose()
    {
        NativeMemory.Free(_memory);
        _memory = null;
        _size = 0;
    }
}
