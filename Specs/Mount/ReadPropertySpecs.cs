using FsCheck;
using FsCheck.Fluent;
using Webc.BootSafe.Mount.View;
using Webc.BootSafe.Specs.Mount.Support;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Mount;

/// <summary>Reads at any offset and length return the blob's bytes, through the view and through a real mount.</summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class ReadPropertySpecs
{
    private static OracleRepo Repo => OracleRepo.Shared;

    private static readonly string[] Files = ["big/medium.bin", "big/large.bin", "many/f00042", "names/héllo wörld.txt", "empty/a"];

    private static readonly Lazy<Dictionary<string, byte[]>> Expected = new(() =>
        Files.ToDictionary(f => f, f => Blob(Repo.First, f)));

    private static byte[] Blob(string rev, string path)
    {
        var file = Path.Combine(Repo.Scratch("blobs"), Guid.NewGuid().ToString("N"));
        Shell.Bash($"git -C '{Repo.Loose}' cat-file blob '{rev}:{path}' > '{file}'");
        return File.ReadAllBytes(file);
    }

    private static Arbitrary<(int File, double Offset, int Length)> Reads() =>
        Gen.Choose(0, Files.Length - 1)
            .Zip(Gen.Choose(0, 1_000_000).Select(i => i / 1_000_000.0))
            .Zip(Gen.Elements(0, 1, 17, 4096, 131_072, 600_000, 1_500_000))
            .Select(t => (t.Item1.Item1, t.Item1.Item2, t.Item2))
            .ToArbitrary();

    [HostTheory("fusermount3")]
    [InlineData("loose")]
    [InlineData("packed")]
    public void View_reads_at_random_offsets_equal_the_blob(string store)
    {
        using var view = GitFsView.Open(store == "loose" ? Repo.Loose : Repo.Packed, Repo.First);
        var handles = Files.ToDictionary(f => f, f => view.Open(view.LookupText(f)!));
        try
        {
            Prop.ForAll(Reads(), r => ReadMatches(Files[r.File], r.Offset, r.Length, (offset, buffer) => handles[Files[r.File]].Read(offset, buffer)))
                .Check(Config.QuickThrowOnFailure.WithMaxTest(150));
        }
        finally
        {
            foreach (var h in handles.Values)
            {
                h.Dispose();
            }
        }
    }

    [HostFact("fusermount3")]
    public void Mounted_reads_at_random_offsets_equal_the_blob()
    {
        using var mounted = new MountedCommit(Repo.Packed, Repo.First);
        var handles = Files.ToDictionary(f => f, f => File.OpenHandle(mounted.PathOf(f)));
        try
        {
            Prop.ForAll(Reads(), r => ReadMatches(Files[r.File], r.Offset, r.Length, (offset, buffer) => RandomAccess.Read(handles[Files[r.File]], buffer, offset)))
                .Check(Config.QuickThrowOnFailure.WithMaxTest(150));
        }
        finally
        {
            foreach (var h in handles.Values)
            {
                h.Dispose();
            }
        }
    }

    [HostFact("fusermount3")]
    public void Concurrent_readers_agree_with_the_blob()
    {
        using var mounted = new MountedCommit(Repo.Packed, Repo.First);
        var chunkSizes = new[] { 4096, 65_536, 1_000_003, 131_072 };
        var results = new string[chunkSizes.Length * 2];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = results.Length }, i =>
        {
            var file = i % 2 == 0 ? "big/medium.bin" : "big/large.bin";
            using var stream = new FileStream(mounted.PathOf(file), FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            var buffer = new byte[chunkSizes[i / 2]];
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                sha.AppendData(buffer, 0, n);
            }

            results[i] = file + ":" + Convert.ToHexString(sha.GetHashAndReset());
        });

        foreach (var file in new[] { "big/medium.bin", "big/large.bin" })
        {
            var expected = file + ":" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Expected.Value[file]));
            Assert.All(results.Where(r => r.StartsWith(file + ":", StringComparison.Ordinal)), r => Assert.Equal(expected, r));
        }
    }

    private delegate int Reader(long offset, Span<byte> buffer);

    private static bool ReadMatches(string file, double offsetFraction, int length, Reader read)
    {
        var expected = Expected.Value[file];
        var offset = (long)(offsetFraction * (expected.Length + 10));
        var buffer = new byte[length];
        var total = 0;
        while (total < length)
        {
            var n = read(offset + total, buffer.AsSpan(total));
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        var want = offset >= expected.Length ? 0 : (int)Math.Min(length, expected.Length - offset);
        return total == want && buffer.AsSpan(0, total).SequenceEqual(expected.AsSpan((int)Math.Min(offset, expected.Length), want));
    }
}
