using System.Buffers.Binary;

namespace Webc.BootSafe.Git;

/// <summary>
/// A pack's .idx (version 2): a 256-entry fan-out, the sorted object names, CRCs, 31-bit offsets
/// and a table of 64-bit offsets for packs over 2 GiB. Held in memory: about 28 bytes per object.
/// </summary>
public sealed class PackIndex
{
    private const int FanoutStart = 8;
    private const int NamesStart = FanoutStart + 256 * 4;

    private readonly byte[] _data;
    private readonly int _offsets32Start;
    private readonly int _offsets64Start;

    public int Count { get; }

    private PackIndex(byte[] data, int count)
    {
        _data = data;
        Count = count;
        _offsets32Start = NamesStart + count * ObjectId.Size + count * 4;
        _offsets64Start = _offsets32Start + count * 4;
    }

    /// <summary>
    /// The file's bytes in an array the collector does not zero first: every byte is read over at
    /// once, and zeroing a kept repository's megabyte of index was a tenth of a fetch.
    /// </summary>
    private static byte[] ReadWhole(string path)
    {
        using var file = File.OpenHandle(path);
        var length = RandomAccess.GetLength(file);
        if (length > Array.MaxLength)
        {
            throw new CorruptRepositoryException($"{path}: not a version 2 pack index");
        }

        var data = GC.AllocateUninitializedArray<byte>((int)length);
        var read = 0;
        while (read < data.Length)
        {
            var n = RandomAccess.Read(file, data.AsSpan(read), read);
            if (n == 0)
            {
                return data[..read]; // shrank under us: judged like any short index
            }

            read += n;
        }

        return data;
    }

    /// <summary>The index at <paramref name="path"/>, shared with earlier loads of the same unchanged file.</summary>
    public static PackIndex Load(string path) => PackIndexCache.Load(path, Read);

    private static PackIndex Read(string path)
    {
        var data = ReadWhole(path);
        if (data.Length < NamesStart || BinaryPrimitives.ReadUInt32BigEndian(data) != 0xff744f63
            || BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(4)) != 2)
        {
            throw new CorruptRepositoryException($"{path}: not a version 2 pack index");
        }

        var count = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(FanoutStart + 255 * 4));
        if (data.LongLength < NamesStart + (long)count * (ObjectId.Size + 8) + 40)
        {
            throw new CorruptRepositoryException($"{path}: truncated pack index");
        }

        return new PackIndex(data, count);
    }

    private long[]? _sortedOffsets;

    /// <summary>
    /// Bytes the entry at <paramref name="offset"/> takes in a pack of <paramref name="packLength"/>
    /// bytes: up to the next entry, or to the trailing checksum.
    /// </summary>
    public long EntryLength(long offset, long packLength)
    {
        var sorted = _sortedOffsets ??= SortedOffsets();
        var at = sorted.AsSpan().BinarySearch(offset); // no comparer calls, unlike Array.BinarySearch
        var end = at >= 0 && at + 1 < sorted.Length ? sorted[at + 1] : packLength - ObjectId.Size;
        return Math.Max(0, end - offset);
    }

    // LINQ's stable ordering of the same 20,000 offsets was 5% of a scrub's profile, and Array.Sort's
    // comparer calls 5% of a fetch's (OffsetSort).
    private long[] SortedOffsets()
    {
        var offsets = new long[Count];
        for (var i = 0; i < offsets.Length; i++)
        {
            offsets[i] = OffsetAt(i);
        }

        OffsetSort.Sort(offsets);
        return offsets;
    }

    public ObjectId NameAt(int i) => ObjectId.FromRaw(_data.AsSpan(NamesStart + i * ObjectId.Size, ObjectId.Size));

    /// <summary>The object's offset in the pack, or -1.</summary>
    public long Find(ObjectId id)
    {
        Span<byte> raw = stackalloc byte[ObjectId.Size];
        id.CopyTo(raw);
        var (lo, hi) = Range(raw[0]);
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            var cmp = _data.AsSpan(NamesStart + mid * ObjectId.Size, ObjectId.Size).SequenceCompareTo(raw);
            if (cmp == 0)
            {
                return OffsetAt(mid);
            }

            if (cmp < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return -1;
    }

    /// <summary>Names starting with a hex prefix (for abbreviated revisions); stops after two.</summary>
    public IEnumerable<ObjectId> FindByPrefix(string hexPrefix)
    {
        var first = Convert.ToByte(hexPrefix[..2], 16);
        var (lo, hi) = Range(first);
        var found = 0;
        for (var i = lo; i < hi && found < 2; i++)
        {
            var id = NameAt(i);
            if (id.ToString().StartsWith(hexPrefix, StringComparison.Ordinal))
            {
                found++;
                yield return id;
            }
        }
    }

    private (int Lo, int Hi) Range(byte first)
    {
        var lo = first == 0 ? 0 : (int)BinaryPrimitives.ReadUInt32BigEndian(_data.AsSpan(FanoutStart + (first - 1) * 4));
        var hi = (int)BinaryPrimitives.ReadUInt32BigEndian(_data.AsSpan(FanoutStart + first * 4));
        return (lo, hi);
    }

    private long OffsetAt(int i)
    {
        var small = BinaryPrimitives.ReadUInt32BigEndian(_data.AsSpan(_offsets32Start + i * 4));
        if ((small & 0x8000_0000) == 0)
        {
            return small;
        }

        var large = (int)(small & 0x7fff_ffff);
        return (long)BinaryPrimitives.ReadUInt64BigEndian(_data.AsSpan(_offsets64Start + large * 8));
    }
}
