using FsCheck;
using FsCheck.Fluent;
using Microsoft.Win32.SafeHandles;
using Webc.BootSafe.Git;

namespace Webc.BootSafe.Specs.Git;

/// <summary>
/// Git/HeaderReadAhead.cs returns what a pread returns, whatever the order of the reads: forward in
/// small strides (where it serves from its window), backward, far jumps, across the end of a file,
/// and alternating between two files (a window of one is never served for the other).
/// </summary>
public sealed class HeaderReadAheadProperties : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bootsafe-readahead-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed record Step(int File, long Offset, int Length);

    private static Gen<Step> StepIn(int[] lengths) =>
        from file in Gen.Choose(0, lengths.Length - 1)
        from offset in Gen.Choose(0, lengths[file] + 40)
        from length in Gen.Choose(1, 32)
        select new Step(file, offset, length);

    /// <summary>Strides of a few bytes either way (to read just before a window), of a few KiB, and of nearly a window (across its end).</summary>
    private static Gen<int> Stride() =>
        Gen.OneOf(Gen.Choose(-64, 64), Gen.Choose(0, 20_000), Gen.Choose(HeaderReadAhead.WindowBytes - 4_000, HeaderReadAhead.WindowBytes));

    /// <summary>Mostly strides from the previous read in the same file, as a tree listing makes them.</summary>
    private static Gen<Step[]> Walk(int[] lengths) =>
        StepIn(lengths).ArrayOf().SelectMany(jumps => Stride().ArrayOf(jumps.Length).Select(strides =>
        {
            var steps = new Step[jumps.Length];
            var file = 0;
            var at = 0L;
            for (var k = 0; k < jumps.Length; k++)
            {
                // Four reads in five stride from the one before in the same file (a run long enough
                // to open a window and read around it); the fifth jumps anywhere, in either file.
                if (k % 5 == 4)
                {
                    (file, at) = (jumps[k].File, jumps[k].Offset);
                }
                else
                {
                    at = Math.Max(0, at + strides[k]);
                }

                steps[k] = jumps[k] with { File = file, Offset = at };
            }

            return steps;
        }));

    [Fact]
    public void Every_read_returns_what_pread_returns()
    {
        var random = new Random(17);
        int[] lengths = [300_000, 70_000];
        var paths = lengths.Select((length, k) =>
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            var path = Path.Combine(_dir, $"pack{k}");
            File.WriteAllBytes(path, bytes);
            return path;
        }).ToArray();
        using var first = File.OpenHandle(paths[0]);
        using var second = File.OpenHandle(paths[1]);
        SafeFileHandle[] files = [first, second];
        long[] ids = [PackFile.NewId(), PackFile.NewId()];

        Prop.ForAll(Walk(lengths).ToArbitrary(), steps =>
        {
            // A fresh reader per case, as each thread has its own; its state then comes from this walk alone.
            var reader = new HeaderReadAhead();
            foreach (var step in steps)
            {
                var expected = new byte[step.Length];
                var expectedCount = RandomAccess.Read(files[step.File], expected, step.Offset);
                var actual = new byte[step.Length];
                var count = reader.Read(ids[step.File], files[step.File], step.Offset, actual);
                Assert.Equal(expectedCount, count);
                Assert.Equal(expected.AsSpan(0, expectedCount).ToArray(), actual.AsSpan(0, count).ToArray());
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void Reads_in_pack_order_are_served_from_a_window()
    {
        // The point of the window: after a short run in order, the next headers need no pread. A file
        // replaced under the same handle's id would show it (the window still serves the old bytes);
        // packs never change while open, so here it proves the reads came from the window.
        var path = Path.Combine(_dir, "pack");
        File.WriteAllBytes(path, Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray());
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        var id = PackFile.NewId();
        var reader = new HeaderReadAhead();
        var head = new byte[32];
        for (var offset = 0L; offset <= 3 * 3000; offset += 3000)
        {
            reader.Read(id, file, offset, head);
        }

        RandomAccess.Write(file, new byte[100_000], 0);
        Assert.Equal(32, reader.Read(id, file, 4 * 3000, head));
        Assert.Equal(unchecked((byte)(4 * 3000)), head[0]);
        Assert.Equal(32, reader.Read(id, file, 90_000, head));
        Assert.Equal(0, head[0]);
    }
}
