using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Webc.BootSafe.Git;

/// <summary>
/// A forward-only read stream over a file from an offset, with positional reads so many of them can
/// share one handle. The inflater asks for 8 KiB at a time and one pread per 8 KiB would dominate
/// sequential reads of a large blob, so reads are buffered; the first read is small and each refill
/// doubles up to 256 KiB: most objects are a few KiB compressed, and reading a fixed 64 KiB for each
/// copied 20 times more bytes than a tar of many small files needed, while a large blob's stream
/// soon reads in big pieces.
/// </summary>
public sealed class FileSliceStream(SafeFileHandle file, long offset, long length = long.MaxValue) : Stream
{
    private const int FirstReadSize = 16 * 1024;
    private const int BufferSize = 256 * 1024;

    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _readSize = FirstReadSize;
    private long _fileOffset = offset;
    private long _left = length;
    private int _start;
    private int _end;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> destination)
    {
        var buf = _buffer ?? throw new ObjectDisposedException(nameof(FileSliceStream));
        if (_start == _end)
        {
            // Never read past the slice: a small object would otherwise copy a whole buffer's worth.
            _end = _left <= 0 ? 0 : RandomAccess.Read(file, buf.AsSpan(0, (int)Math.Min(_readSize, _left)), _fileOffset);
            _readSize = Math.Min(_readSize * 2, BufferSize);
            _fileOffset += _end;
            _left -= _end;
            _start = 0;
            if (_end == 0)
            {
                return 0;
            }
        }

        var n = Math.Min(destination.Length, _end - _start);
        buf.AsSpan(_start, n).CopyTo(destination);
        _start += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (_buffer is { } b)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(b);
        }

        base.Dispose(disposing);
    }
}
