using FsCheck;
using FsCheck.Fluent;
using Webc.BootSafe.Git;

namespace Webc.BootSafe.Specs.Git;

/// <summary>The pack index's offset sort (Git/OffsetSort.cs) orders as Array.Sort does, at every magnitude.</summary>
public sealed class OffsetSortProperties
{
    private static Gen<long> Offset() =>
        Gen.Choose(0, 62).SelectMany(bits => Gen.Choose(0, int.MaxValue).Zip(Gen.Choose(0, int.MaxValue))
            .Select(p => (long)(((ulong)(uint)p.Item1 << 32 | (uint)p.Item2) & (bits == 0 ? 0UL : (1UL << bits) - 1))));

    [Fact]
    public void Sorts_as_array_sort_does()
    {
        Prop.ForAll(Offset().ArrayOf().ToArbitrary(), values =>
        {
            var expected = (long[])values.Clone();
            Array.Sort(expected);
            OffsetSort.Sort(values);
            Assert.Equal(expected, values);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    [Fact]
    public void A_negative_offset_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OffsetSort.Sort([3, -1, 2]));
    }
}
