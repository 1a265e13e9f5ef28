namespace Webc.BootSafe.Git;

/// <summary>
/// Sorts a pack index's entry offsets (non-negative, 20,000 to millions of them, once per process
/// that opens the pack) by their bytes, least significant first. <c>Array.Sort</c> of longs calls
/// <c>Comparer&lt;long&gt;</c> for every comparison under NativeAOT: 5% of a `fetch --stage`'s
/// profile (bench/fetch/README.md).
/// </summary>
internal static class OffsetSort
{
    public static void Sort(long[] values)
    {
        var all = 0L;
        foreach (var value in values)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(values));
            all |= value;
        }

        var source = values;
        var target = new long[values.Length];
        Span<int> starts = stackalloc int[256];
        for (var shift = 0; shift < 64 && all >> shift != 0; shift += 8)
        {
            starts.Clear();
            foreach (var value in source)
            {
                starts[(int)(value >> shift) & 0xFF]++;
            }

            var sum = 0;
            for (var digit = 0; digit < starts.Length; digit++)
            {
                (starts[digit], sum) = (sum, sum + starts[digit]);
            }

            foreach (var value in source)
            {
                target[starts[(int)(value >> shift) & 0xFF]++] = value;
            }

            (source, target) = (target, source);
        }

        if (!ReferenceEquals(source, values))
        {
            source.CopyTo(values, 0);
        }
    }
}
