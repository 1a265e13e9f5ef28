namespace Webc.BootSafe.Mount.View;

/// <summary>An open file's content source; positional reads, because FUSE reads come with offsets.</summary>
public abstract class OpenBlob : IDisposable
{
    public abstract long Size { get; }

    /// <summary>Copies bytes from <paramref name="offset"/> into <paramref name="destination"/>; returns the count (0 at the end).</summary>
    public abstract int Read(long offset, Span<byte> destination);

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
}
