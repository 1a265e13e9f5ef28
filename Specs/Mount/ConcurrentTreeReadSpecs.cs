using Webc.BootSafe.Specs.Mount.Support;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Mount;

/// <summary>
/// The mount answers requests on several threads: many readers at once, each walking the whole tree
/// in its own order, and readers taking interleaved pieces of one large blob (so its reads reach
/// the daemon out of order and in parallel), all get `git archive`'s bytes.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class ConcurrentTreeReadSpecs
{
    private const int Readers = 6;

    private static OracleRepo Repo => OracleRepo.Shared;

    [HostFact("fusermount3")]
    public void Parallel_walkers_of_the_whole_tree_read_git_archive_bytes()
    {
        var archive = Repo.Archive(Repo.Packed, Repo.First, Path.Combine(Repo.Scratch("archive-concurrent"), "root"));
        var files = TreeListing.Of(archive).Where(e => e.Value.Type == 'f').Select(e => e.Key).Order(StringComparer.Ordinal).ToArray();
        Assert.True(files.Length > OracleRepo.ManyFiles);

        using var mounted = new MountedCommit(Repo.Packed, Repo.First);
        var differing = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, Readers, new ParallelOptions { MaxDegreeOfParallelism = Readers }, reader =>
        {
            // Each reader its own order: forwards, backwards, or shuffled.
            var order = reader switch
            {
                0 => files,
                1 => files.Reverse().ToArray(),
                _ => files.OrderBy(_ => Random.Shared.Next()).ToArray(),
            };
            foreach (var path in order)
            {
                if (!File.ReadAllBytes(mounted.PathOf(path)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(archive, path))))
                {
                    differing.Add($"reader {reader}: {path}");
                }
            }
        });

        Assert.True(differing.IsEmpty, string.Join("\n", differing.Take(5)));
    }

    [HostFact("fusermount3")]
    public void Interleaved_pieces_of_a_large_blob_read_in_parallel_equal_git_cat_file()
    {
        var expected = Path.Combine(Repo.Scratch("cat-file-concurrent"), "large.bin");
        Shell.Bash($"git -C '{Repo.Packed}' cat-file blob '{Repo.First}:big/large.bin' > '{expected}'");
        var want = File.ReadAllBytes(expected);
        const int Piece = 192 * 1024; // not a multiple of the kernel's 128 KiB reads: pieces straddle them

        using var mounted = new MountedCommit(Repo.Packed, Repo.First);
        var bad = new System.Collections.Concurrent.ConcurrentBag<long>();
        var pieces = (want.Length + Piece - 1) / Piece;
        Parallel.For(0, Readers, new ParallelOptions { MaxDegreeOfParallelism = Readers }, reader =>
        {
            using var handle = File.OpenHandle(mounted.PathOf("big/large.bin"));
            var buffer = new byte[Piece];
            for (var piece = reader; piece < pieces; piece += Readers)
            {
                long offset = (long)piece * Piece;
                var length = (int)Math.Min(Piece, want.Length - offset);
                var total = 0;
                int n;
                while (total < length && (n = RandomAccess.Read(handle, buffer.AsSpan(total, length - total), offset + total)) > 0)
                {
                    total += n;
                }

                if (total != length || !buffer.AsSpan(0, length).SequenceEqual(want.AsSpan((int)offset, length)))
                {
                    bad.Add(offset);
                }
            }
        });

        Assert.True(bad.IsEmpty, $"pieces at {string.Join(", ", bad.Order().Take(5))} differ from git cat-file");
    }
}
