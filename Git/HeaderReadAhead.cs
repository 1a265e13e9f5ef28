using Microsoft.Win32.SafeHandles;

namespace Webc.BootSafe.Git;

/// <summary>
/// Entry headers read one after another in pack order come from one larger read. Listing a tree
/// needs each file's size, which for a packed blob is its entry's header: a cold <c>find -ls</c>
/// of 20,000 files made 20,000 preads of 32 bytes, nearly all a few KiB after the one before,
/// since a commit's blobs are packed in the order a tree walk visits them. After
/// <see cref="RunBeforeWindow"/> such reads in a row, the next miss reads a window of
/// <see cref="WindowBytes"/> and the headers inside it are copied from there; a read that jumps
/// away goes back to one small pread, so random lookups cost what they did. One per thread.
/// </summary>
internal sealed class HeaderReadAhead
{
    public const int WindowBytes = 64 * 1024;

    /// <summary>How far ahead of the previous header a read still counts as in pack order.</summary>
    private const int MaxStride = 16 * 1024;

    private const int RunBeforeWindow = 2;

    [ThreadStatic]
    private static HeaderReadAhead? t_forThread;

    private readonly byte[] _window = new byte[WindowBytes];
    private long _pack;
    private long _start;
    private int _length;
    private long _previous = -1;
    private int _run;

    public static HeaderReadAhead ForThread => t_forThread ??= new HeaderReadAhead();

    /// <summary>
    /// Reads up to <paramref name="into"/>'s length at <paramref name="offset"/> of
    /// <paramref name="file"/>, as one pread would: fewer bytes only at the end of the file.
    /// <paramref name="pack"/> is the open pack's <see cref="PackFile.NewId"/> (a number, not the pack:
    /// a window left in a thread keeps nothing alive), and a pack's bytes never change while it is open.
    /// </summary>
    public int Read(long pack, SafeFileHandle file, long offset, Span<byte> into)
    {
        var samePack = pack == _pack;
        var inOrder = samePack && _previous >= 0 && offset >= _previous && offset - _previous <= MaxStride;
        _run = inOrder ? _run + 1 : 0;
        _previous = offset;
        if (!samePack)
        {
            _pack = pack;
            _length = 0;
        }

        if (offset >= _start && offset + into.Length <= _start + _length)
        {
            _window.AsSpan((int)(offset - _start), into.Length).CopyTo(into);
            return into.Length;
        }

        if (_run < RunBeforeWindow)
        {
            return RandomAccess.Read(file, into, offset);
        }

        _start = offset;
        _length = RandomAccess.Read(file, _window, offset);
        var n = Math.Min(_length, into.Length);
        _window.AsSpan(0, n).CopyTo(into);
        return n;
    }
}
