using System.Buffers.Binary;
using Webc.BootSafe.Git;

namespace Webc.BootSafe.Fetch.Git;

/// <summary>
/// Reads a pack as it arrives and refuses it at the first object larger than max-object-bytes,
/// judged from what the pack itself declares before anything is inflated: a whole object's size
/// from its entry header, a delta's result size from the first bytes of its delta (the only part of
/// a delta ever inflated here), and every zlib stream is inflated into a small scratch buffer,
/// counted and dropped, so a stream longer than its header or the limit is caught while it flows.
/// Memory is constant whatever the pack holds.
/// </summary>
internal sealed class PackEntryLimit(long maxObjectBytes) : IDisposable
{
    private enum Stage
    {
        PackHeader,
        EntryHeader,
        OffsetBase,
        RefBase,
        Data,
        Trailer,
    }

    private const int TypeOffsetDelta = 6;
    private const int TypeRefDelta = 7;
    private static readonly string[] TypeNames = ["none", "commit", "tree", "blob", "tag", "reserved", "ofs-delta", "ref-delta"];

    private readonly ZlibInflater _zlib = new();
    private readonly byte[] _scratch = new byte[64 * 1024];
    private readonly byte[] _header = new byte[32];
    private readonly byte[] _deltaSizes = new byte[20];
    private Stage _stage = Stage.PackHeader;
    private int _headerLength;
    private int _deltaSizesLength;
    private bool _deltaChecked;
    private long _position;
    private long _entryOffset;
    private uint _entries;
    private uint _entry;
    private int _type;
    private long _size;
    private long _inflated;
    private string _base = "";

    /// <summary>Why the pack is refused, once it is; then nothing more is read.</summary>
    public string? Refusal { get; private set; }

    /// <summary>Bytes of the pack judged so far.</summary>
    public long Position => _position;

    public void Push(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0 && Refusal is null && _stage != Stage.Trailer)
        {
            var used = _stage switch
            {
                Stage.PackHeader => PackHeader(data),
                Stage.EntryHeader => EntryHeader(data),
                Stage.OffsetBase => OffsetBase(data),
                Stage.RefBase => RefBase(data),
                _ => Data(data),
            };
            _position += used;
            data = data[used..];
        }
    }

    private int PackHeader(ReadOnlySpan<byte> data)
    {
        var take = Math.Min(12 - _headerLength, data.Length);
        data[..take].CopyTo(_header.AsSpan(_headerLength));
        _headerLength += take;
        if (_headerLength == 12)
        {
            var version = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4));
            if (!_header.AsSpan(0, 4).SequenceEqual("PACK"u8) || version is not (2 or 3))
            {
                Refusal = "the server sent something that is not a version 2 or 3 pack";
                return take;
            }

            _entries = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(8));
            NextEntry();
        }

        return take;
    }

    private void NextEntry()
    {
        _headerLength = 0;
        _stage = _entry == _entries ? Stage.Trailer : Stage.EntryHeader;
    }

    private int EntryHeader(ReadOnlySpan<byte> data)
    {
        if (_headerLength == 0)
        {
            _entryOffset = _position;
        }

        var b = data[0];
        if (_headerLength == 10)
        {
            Refusal = $"{Entry()} has an entry header longer than any size a pack can declare";
            return 1;
        }

        _header[_headerLength++] = b;
        if ((b & 0x80) != 0)
        {
            return 1;
        }

        _type = (_header[0] >> 4) & 7;
        _size = _header[0] & 0x0f;
        for (var i = 1; i < _headerLength; i++)
        {
            _size |= (long)(_header[i] & 0x7f) << (4 + 7 * (i - 1));
        }

        _headerLength = 0;
        _inflated = 0;
        _deltaSizesLength = 0;
        _deltaChecked = false;
        _base = "";
        _zlib.Reset();
        switch (_type)
        {
            case 1 or 2 or 3 or 4:
                if (_size > maxObjectBytes)
                {
                    Refusal = $"{Entry()} is a {_size}-byte {TypeNames[_type]}, larger than max-object-bytes ({maxObjectBytes})";
                }

                _stage = Stage.Data;
                break;
            case TypeOffsetDelta:
                _stage = Stage.OffsetBase;
                break;
            case TypeRefDelta:
                _stage = Stage.RefBase;
                break;
            default:
                Refusal = $"{Entry()} has the unknown object type {_type}";
                break;
        }

        return 1;
    }

    private int OffsetBase(ReadOnlySpan<byte> data)
    {
        if (_headerLength == 10)
        {
            Refusal = $"{Entry()} has a delta base offset longer than any pack can hold";
            return 1;
        }

        _header[_headerLength++] = data[0];
        if ((data[0] & 0x80) == 0)
        {
            _headerLength = 0;
            _stage = Stage.Data;
        }

        return 1;
    }

    private int RefBase(ReadOnlySpan<byte> data)
    {
        var take = Math.Min(20 - _headerLength, data.Length);
        data[..take].CopyTo(_header.AsSpan(_headerLength));
        _headerLength += take;
        if (_headerLength == 20)
        {
            _base = $" on base {Convert.ToHexStringLower(_header.AsSpan(0, 20))}";
            _headerLength = 0;
            _stage = Stage.Data;
        }

        return take;
    }

    private int Data(ReadOnlySpan<byte> data)
    {
        var result = _zlib.Inflate(data, _scratch);
        if (result is not var (consumed, produced, ended))
        {
            Refusal = $"{Entry()} is not a valid zlib stream";
            return data.Length;
        }

        if (IsDelta && !_deltaChecked)
        {
            var copy = Math.Min(produced, _deltaSizes.Length - _deltaSizesLength);
            _scratch.AsSpan(0, copy).CopyTo(_deltaSizes.AsSpan(_deltaSizesLength));
            _deltaSizesLength += copy;
            CheckDeltaSizes(ended);
        }

        _inflated += produced;
        if (Refusal is null && (_inflated > _size || _inflated > maxObjectBytes))
        {
            Refusal = $"{Entry()} inflates past {Math.Min(_size, maxObjectBytes)} bytes (its header says {_size}; max-object-bytes is {maxObjectBytes})";
        }

        if (ended && Refusal is null)
        {
            if (_inflated != _size)
            {
                Refusal = $"{Entry()} inflates to {_inflated} bytes, not the {_size} its header says";
            }

            _entry++;
            NextEntry();
        }
        else if (consumed == 0 && produced == 0)
        {
            // Input and room were both there: a stream zlib cannot advance is a broken one.
            Refusal = $"{Entry()} is not a valid zlib stream";
            return data.Length;
        }

        return consumed;
    }

    private bool IsDelta => _type is TypeOffsetDelta or TypeRefDelta;

    /// <summary>A delta starts with two varints, its base size and its result size.</summary>
    private void CheckDeltaSizes(bool ended)
    {
        var span = _deltaSizes.AsSpan(0, _deltaSizesLength);
        var pos = 0;
        if (!TryVarint(span, ref pos, out var baseSize) || !TryVarint(span, ref pos, out var resultSize))
        {
            if (ended || _deltaSizesLength == _deltaSizes.Length)
            {
                Refusal = $"{Entry()} is a delta without a readable header";
            }

            return;
        }

        _deltaChecked = true;
        if (resultSize > maxObjectBytes || baseSize > maxObjectBytes)
        {
            Refusal = $"{Entry()} is a delta{_base} whose result is {resultSize} bytes (base {baseSize}), larger than max-object-bytes ({maxObjectBytes})";
        }
    }

    private static bool TryVarint(ReadOnlySpan<byte> data, ref int pos, out long value)
    {
        value = 0;
        var shift = 0;
        while (pos < data.Length && shift < 63)
        {
            var b = data[pos++];
            value |= (long)(b & 0x7f) << shift;
            shift += 7;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }

    private string Entry() => $"pack object {_entry + 1} of {_entries} (at byte {_entryOffset}, {TypeNames[_type & 7]})";

    public void Dispose() => _zlib.Dispose();
}
