namespace Webc.BootSafe.Git;

/// <summary>
/// The stored bytes of pack entries visited in pack order, read a run of nearby entries per pread:
/// scrub reads tens of thousands of small entries, and one pread each was a fifth of its time. A
/// run is the entries that follow with gaps of at most <see cref="MaxGap"/> bytes, up to
/// <see cref="WindowBytes"/>: bytes between the entries wanted are read only when they are few, so
/// scrubbing a few objects of a big pack reads little more than those. One per thread.
/// </summary>
public sealed class PackWindow
{
    public const int WindowBytes = 1 << 20;
    private const int MaxGap = 16 * 1024;

    private readonly byte[] _buffer = new byte[WindowBytes];
    private PackFile? _pack;
    private long _start;
    private int _length;

    /// <summary>
    /// The stored bytes of <paramref name="entries"/>[0], read with the run of entries after it unless
    /// an earlier run held it. Empty when it is not packed, larger than a window, or past the end of
    /// a truncated pack: the caller reads it the ordinary way.
    /// </summary>
    public ReadOnlySpan<byte> Stored(ReadOnlySpan<PackedBlob> entries)
    {
        var first = entries[0];
        if (first.Pack is not { } pack || first.Length <= 0 || first.Length > WindowBytes)
        {
            return default;
        }

        if (!ReferenceEquals(pack, _pack) || first.Offset < _start || first.Offset + first.Length > _start + _length)
        {
            var end = first.Offset + first.Length;
            foreach (var next in entries[1..])
            {
                if (!ReferenceEquals(next.Pack, pack) || next.Offset - end > MaxGap || next.Offset + next.Length - first.Offset > WindowBytes)
                {
                    break;
                }

                end = next.Offset + next.Length;
            }

            _pack = pack;
            _start = first.Offset;
            _length = pack.ReadStored(first.Offset, _buffer.AsSpan(0, (int)(end - first.Offset)));
        }

        var at = (int)(first.Offset - _start);
        return at + first.Length <= _length ? _buffer.AsSpan(at, (int)first.Length) : default;
    }
}
