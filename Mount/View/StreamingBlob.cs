using System.Buffers;

namespace Webc.BootSafe.Mount.View;

/// <summary>
/// A large blob inflated on demand through a window of recently inflated bytes. Sequential reads
/// (and the kernel's read-ahead, which arrives in order on the single-threaded loop) move the window
/// forward; a read behind the window restarts inflation from the start, which is rare because the
/// kernel keeps what it has read in its page cache.
/// </summary>
public sealed class StreamingBlob(Func<(Stream Stream, long Size)> open, long size) : OpenBlob
{
    /// <summary>
    /// The mount's largest read (its read-ahead, one 1 MiB request), so that a sequential read is
    /// one whole window and is served from it without a copy (see <see cref="Serve{TState}"/>).
    /// </summary>
    public const int WindowSize = 1024 * 1024;

    private readonly Lock _lock = new();
    private byte[]? _window = ArrayPool<byte>.Shared.Rent(WindowSize);
    private Stream? _stream;
    private long _streamPosition;
    private long _windowStart;
    private int _windowLength;

    public override long Size => size;

    /// <summary>Where the current window starts (0 before the first read): reads at or after it need no restart.</summary>
    public long WindowStart
    {
        get
        {
            lock (_lock)
            {
                return _windowStart;
            }
        }
    }

    /// <summary>Times inflation restarted from the start (for specs and diagnostics).</summary>
    public int Restarts { get; private set; }

    /// <summary>
    /// A read that lies in one window (sequential reads of window-sized pieces, as the mount's
    /// read-ahead asks for them: windows start at multiples of their size) goes to
    /// <paramref name="reply"/> straight from the window, under the lock so no other read moves it
    /// meanwhile; any other read is copied into <paramref name="scratch"/> first.
    /// </summary>
    public override void Serve<TState>(long offset, Span<byte> scratch, ReadOnlySpanAction<byte, TState> reply, TState state)
    {
        lock (_lock)
        {
            var window = _window ?? throw new ObjectDisposedException(nameof(StreamingBlob));
            var total = (int)Math.Min(scratch.Length, Math.Max(0, size - offset));
            if (total > 0)
            {
                MoveTo(offset, window);
                if (offset + total <= _windowStart + _windowLength)
                {
                    reply(window.AsSpan((int)(offset - _windowStart), total), state);
                    return;
                }
            }
        }

        reply(scratch[..Read(offset, scratch)], state);
    }

    public override int Read(long offset, Span<byte> destination)
    {
        lock (_lock)
        {
            var window = _window ?? throw new ObjectDisposedException(nameof(StreamingBlob));
            if (offset >= size)
            {
                return 0;
            }

            var total = (int)Math.Min(destination.Length, size - offset);
            var done = 0;
            while (done < total)
            {
                var at = offset + done;
                MoveTo(at, window);
                var from = (int)(at - _windowStart);
                var n = Math.Min(total - done, _windowLength - from);
                window.AsSpan(from, n).CopyTo(destination[done..]);
                done += n;
            }

            return total;
        }
    }

    // Moves the window over `at` (inside the blob): forward by inflating on, backward by restarting.
    private void MoveTo(long at, byte[] window)
    {
        if (_stream is null || at < _windowStart)
        {
            Restart();
        }

        while (at >= _windowStart + _windowLength)
        {
            Advance(window);
        }
    }

    private void Restart()
    {
        if (_stream is not null)
        {
            Restarts++;
        }

        _stream?.Dispose();
        _stream = open().Stream;
        _streamPosition = 0;
        _windowStart = 0;
        _windowLength = 0;
    }

    private void Advance(byte[] window)
    {
        var n = _stream!.ReadAtLeast(window.AsSpan(0, WindowSize), WindowSize, throwOnEndOfStream: false);
        if (n == 0)
        {
            throw new Git.CorruptRepositoryException($"blob ends at {_streamPosition}, its header says {size}");
        }

        _windowStart = _streamPosition;
        _windowLength = n;
        _streamPosition += n;
    }

    public override void Dispose()
    {
        lock (_lock)
        {
            _stream?.Dispose();
            _stream = null;
            if (_window is { } w)
            {
                _window = null;
                ArrayPool<byte>.Shared.Return(w);
            }
        }

        base.Dispose();
    }
}
