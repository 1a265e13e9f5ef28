using FsCheck;
using FsCheck.Fluent;
using Webc.BootSafe.Git;
using Webc.BootSafe.Specs.Fetch.Support;

namespace Webc.BootSafe.Specs.Git;

/// <summary>
/// Issue 17 item 4: scrub's fast blob check (one pread, a reused zlib inflater) must not change what
/// scrub finds. A real git pack (300 small blobs, a 200 KB one, an empty one, deltas from a second
/// commit) gets one byte flipped anywhere; then the fast check calls no blob intact that the
/// ordinary read finds corrupt, and every blob scrub reports carries the ordinary read's message.
/// </summary>
public sealed class PackedBlobCheckProperties : IDisposable
{
    private readonly TempDirectory _dir = new("packed-blob-check");
    private readonly string _repository;
    private readonly (ObjectId Commit, string Name)[] _roots;
    private readonly ObjectId[] _blobs;

    public PackedBlobCheckProperties()
    {
        var work = _dir.Combine("work");
        Proc.Run("git", ["init", "-q", "-b", "master", work]);
        var random = new Random(4);
        for (var i = 0; i < 300; i++)
        {
            Directory.CreateDirectory(Path.Combine(work, $"d{i % 7}"));
            File.WriteAllText(Path.Combine(work, $"d{i % 7}", $"f{i}"), string.Concat(Enumerable.Range(0, 1 + i % 40).Select(_ => $"{random.Next():x8} {i}\n")));
        }

        var big = new byte[200_000];
        random.NextBytes(big);
        File.WriteAllBytes(Path.Combine(work, "big.bin"), big);
        File.WriteAllText(Path.Combine(work, "empty"), "");
        Proc.Run("git", ["add", "-A"], work);
        Proc.Run("git", ["commit", "-q", "-m", "v1"], work);
        foreach (var i in new[] { 0, 7, 14, 39 })
        {
            File.AppendAllText(Path.Combine(work, $"d{i % 7}", $"f{i}"), "edited\n");
        }

        Proc.Run("git", ["commit", "-q", "-a", "-m", "v2"], work);
        _repository = _dir.Combine("repo.git");
        Proc.Run("git", ["clone", "-q", "--bare", work, _repository]);
        Proc.Run("git", ["repack", "-adfq"], _repository);
        _roots = [(Id(Proc.Run("git", ["rev-parse", "master"], _repository)), "v2"), (Id(Proc.Run("git", ["rev-parse", "master~1"], _repository)), "v1")];
        var all = string.Join('\n', Proc.Run("git", ["rev-list", "--objects", "--all"], _repository).Split('\n').Select(l => l.Split(' ')[0])) + "\n";
        _blobs = Proc.Run("git", ["cat-file", "--batch-check"], _repository, stdin: all).Split('\n')
            .Select(l => l.Split(' '))
            .Where(f => f[1] == "blob")
            .Select(f => Id(f[0])).ToArray();
    }

    public void Dispose() => _dir.Dispose();

    private static ObjectId Id(string hex) => ObjectId.TryParse(hex, out var id) ? id : throw new ArgumentException(hex);

    private string Pack => Directory.GetFiles(Path.Combine(_repository, "objects", "pack"), "*.pack").Single();

    [Fact]
    public void An_intact_pack_s_whole_blobs_are_intact_to_the_fast_check_and_its_deltas_are_left_to_the_ordinary_read()
    {
        using var objects = ObjectDatabase.Open(GitDirectory.Open(_repository));
        using var fast = new PackedBlobCheck();
        var window = new PackWindow();
        foreach (var blob in _blobs)
        {
            Assert.Equal(!objects.IsDeltified(blob), Fast(objects, fast, window, blob));
        }

        Assert.Contains(_blobs, objects.IsDeltified);
        Assert.Empty(ObjectScrub.Run(objects, _roots, () => ObjectDatabase.Open(GitDirectory.Open(_repository))).Corrupt);
    }

    [Fact]
    public void After_any_flipped_byte_the_fast_check_agrees_with_the_ordinary_read_and_scrub_reports_its_words()
    {
        var pristine = File.ReadAllBytes(Pack);
        var cases = 0;
        Prop.ForAll(Gen.Choose(12, pristine.Length - 21).Zip(Gen.Choose(1, 255)).ToArbitrary(), flip =>
        {
            var copy = _dir.Combine($"case{cases++}.git");
            Processes.Run("cp", ["-a", _repository, copy]);
            var pack = Directory.GetFiles(Path.Combine(copy, "objects", "pack"), "*.pack").Single();
            var bytes = (byte[])pristine.Clone();
            bytes[flip.Item1] ^= (byte)flip.Item2;
            File.Delete(pack); // git makes packs read-only: write a new file in its place
            File.WriteAllBytes(pack, bytes);

            using var objects = ObjectDatabase.Open(GitDirectory.Open(copy));
            using var fast = new PackedBlobCheck();
            var window = new PackWindow();
            var ordinary = new Dictionary<ObjectId, string?>();
            foreach (var blob in _blobs)
            {
                ordinary[blob] = Ordinary(objects, blob);
                Assert.False(Fast(objects, fast, window, blob) && ordinary[blob] is not null, $"flip {flip}: fast check calls {blob} intact, the ordinary read says {ordinary[blob]}");
            }

            var (_, corrupt) = ObjectScrub.Run(objects, _roots, () => ObjectDatabase.Open(GitDirectory.Open(copy)));
            foreach (var c in corrupt.Where(c => ordinary.ContainsKey(c.Id)))
            {
                Assert.Equal(ordinary[c.Id], c.Problem);
            }

            Directory.Delete(copy, recursive: true);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Tier.Fast ? 30 : 200));
    }

    /// <summary>The fast check's verdict on one blob, its entry read alone.</summary>
    private static bool Fast(ObjectDatabase objects, PackedBlobCheck fast, PackWindow window, ObjectId blob)
    {
        if (!objects.TryFindPacked(blob, out var pack, out var offset))
        {
            return false;
        }

        var stored = window.Stored([new PackedBlob(0, pack, offset, pack.StoredLength(offset))]);
        return !stored.IsEmpty && fast.IsIntact(blob, pack, offset, stored);
    }

    /// <summary>The ordinary read's verdict on a blob: null when intact, else scrub's message for it.</summary>
    private static string? Ordinary(ObjectDatabase objects, ObjectId blob)
    {
        try
        {
            ObjectScrub.Rehash(objects, blob, ObjectType.Blob);
            return null;
        }
        catch (Exception e) when (e is CorruptRepositoryException or InvalidDataException or IOException or ArgumentException or FormatException)
        {
            return e.Message.ReplaceLineEndings(" ");
        }
    }
}
