using System.Buffers;

namespace Webc.BootSafe.Mount.View;

/// <summary>An open file's content source; positional reads, because FUSE reads come with offsets.</summary>
public abstract class OpenBlob : IDisposable
{
    public abstract long Size { get; }

    /// <summary>Copies bytes from <paramref name="offset"/> into <paramref name="destination"/>; returns the count (0 at the end).</summary>
    public abstract int Read(long offset, Span<byte> destination);

    /// <summary>
    /// Hands <paramref name="reply"/> the bytes at <paramref name="offset"/> (up to
    /// <paramref name="scratch"/>.Length; none at the end), exactly once: from memory the blob
    /// already holds where it can, so a large read is not copied once more before the kernel copies
    /// it; else copied into <paramref name="scratch"/>. The bytes are valid only during the call.
    /// </summary>
    public virtual void Serve<TState>(long offset, Span<byte> scratch, ReadOnlySpanAction<byte, TState> reply, TState state) =>
        reply(scratch[..Read(offset, scratch)], state);

    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>A small blob held whole (shared with the content cache, never copied per handle).</summary>
public sealed class MemoryBlob(byte[] content) : OpenBlob
{
    public override long Size => content.LongLength;

    public override int Read(long offset, Span<byte> destination)
    {
        if (offset >= content.LongLength)
        {
            return 0;
        }

        var n = (int)Math.Min(destination.Length, content.LongLength - offset);
        content.AsSpan((int)offset, n).CopyTo(destination);
        return n;
    }

    public override void Serve<TState>(long offset, Span<byte> scratch, ReadOnlySpanAction<byte, TState> reply, TState state) =>
        reply(Slice(content, offset, scratch.Length), state);

    /// <summary>Up to <paramref name="length"/> bytes of <paramref name="content"/> from <paramref name="offset"/>.</summary>
    public static ReadOnlySpan<byte> Slice(byte[] content, long offset, int length) =>
        offset >= content.LongLength ? [] : content.AsSpan((int)offset, (int)Math.Min(length, content.LongLength - offset));
}
