using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Webc.BootSafe.Git;
using Webc.BootSafe.Specs.Fetch.Support;

namespace Webc.BootSafe.Specs.Git;

/// <summary>
/// Issue 17 item 3: a pack's delta chains are rebuilt link by link with rented buffers, and only a
/// chain's root and an object's own base are kept. Whatever order objects are read in, and whatever
/// the base cache holds, every object of real git packs with chains 50 deep (offset deltas, and ref
/// deltas in a second pack) reads as the bytes its name hashes, with git's type and size, whether the
/// system's zlib or .NET's own inflates it.
/// </summary>
public sealed class DeltaChainReadProperties : IDisposable
{
    private static readonly long[] CacheSizes = [0, 4 * 1024, 64 * 1024, 8 << 20];

    private readonly TempDirectory _dir = new("delta-chains");
    private readonly Dictionary<string, (ObjectId Id, ObjectType Type, long Size)[]> _objects = [];

    public DeltaChainReadProperties()
    {
        var work = _dir.Combine("work");
        Proc.Run("git", ["init", "-q", "-b", "master", work]);
        var stream = _dir.Combine("history.fi");
        File.WriteAllBytes(stream, Encoding.Latin1.GetBytes(History(commits: 90)));
        Proc.Run("sh", ["-c", "git fast-import --quiet < \"$0\"", stream], work);
        foreach (var (name, offsetDeltas) in new[] { ("offset.git", true), ("ref.git", false) })
        {
            var repository = _dir.Combine(name);
            Proc.Run("git", ["clone", "-q", "--bare", "--no-local", work, repository]);
            Proc.Run("git", ["-c", $"repack.useDeltaBaseOffset={(offsetDeltas ? "true" : "false")}", "repack", "-q", "-a", "-d", "--depth=50"], repository); // reuses fast-import's chains: newest version deepest, as a kiosk's fetched history
            _objects[name] = Proc.Run("git", ["cat-file", "--batch-all-objects", "--batch-check"], repository)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split(' '))
                .Select(f => (Id(f[0]), Type(f[1]), long.Parse(f[2])))
                .ToArray();
        }
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>A fast-import stream (one char per byte): files and directories rewritten a little in every commit, so trees and blobs chain.</summary>
    private static string History(int commits)
    {
        var text = new StringBuilder();
        var random = new Random(17);
        var files = Enumerable.Range(0, 24).Select(i => string.Concat(Enumerable.Range(0, 40 + i * 5).Select(j => $"line {j} of file {i} {random.Next():x8}\n"))).ToArray();
        // An initrd-like binary: larger than one read of an entry, rewritten a little now and then,
        // so small deltas stand on a large whole base (and large deltas on each other).
        var image = new byte[700_000];
        random.NextBytes(image);
        for (var c = 0; c < commits; c++)
        {
            text.Append($"commit refs/heads/master\ncommitter t <t@example.org> {1700000000 + c} +0000\ndata 3\nc{c % 10}\n");
            if (c % 15 == 0)
            {
                random.NextBytes(image.AsSpan(random.Next(image.Length - 4096), c % 30 == 0 ? 4096 : 64));
                text.Append($"M 100644 inline boot/initrd.img\ndata {image.Length}\n{Encoding.Latin1.GetString(image)}\n");
            }

            foreach (var i in c == 0 ? Enumerable.Range(0, files.Length) : [c % files.Length, (c * 7) % files.Length])
            {
                var lines = files[i].Split('\n');
                lines[random.Next(lines.Length - 1)] = $"edited in {c} {random.Next():x8}";
                files[i] = string.Join('\n', lines) + (c % 3 == 0 ? $"appended in {c}\n" : "");
                var body = Encoding.UTF8.GetBytes(files[i]);
                text.Append($"M 100644 inline d{i % 4}/s{i % 3}/f{i}\ndata {body.Length}\n{files[i]}\n");
            }
        }

        return text.ToString();
    }

    private static ObjectId Id(string hex) => ObjectId.TryParse(hex, out var id) ? id : throw new ArgumentException(hex);

    private static ObjectType Type(string name) => name switch
    {
        "commit" => ObjectType.Commit,
        "tree" => ObjectType.Tree,
        "blob" => ObjectType.Blob,
        "tag" => ObjectType.Tag,
        _ => throw new ArgumentException(name),
    };

    private static string TypeName(ObjectType type) => type switch
    {
        ObjectType.Commit => "commit",
        ObjectType.Tree => "tree",
        ObjectType.Blob => "blob",
        _ => "tag",
    };

    private static ObjectId Hash(ObjectType type, byte[] data)
    {
        var header = Encoding.ASCII.GetBytes($"{TypeName(type)} {data.Length}\0");
        return ObjectId.FromRaw(SHA1.HashData([.. header, .. data]));
    }

    [Fact]
    public void The_packs_hold_chains_as_deep_as_git_allows()
    {
        foreach (var name in _objects.Keys)
        {
            var pack = Directory.GetFiles(Path.Combine(_dir.Combine(name), "objects", "pack"), "*.idx").Single();
            var deepest = Proc.Run("git", ["verify-pack", "-v", pack], _dir.Combine(name))
                .Split('\n')
                .Where(l => l.StartsWith("chain length = ", StringComparison.Ordinal))
                .Max(l => int.Parse(l["chain length = ".Length..l.IndexOf(':')]));
            Assert.True(deepest >= 40, $"{name}: deepest chain {deepest}");

            // Entry types from the pack's bytes at git's own offsets: 6 is an offset delta, 7 a ref delta.
            var bytes = File.ReadAllBytes(Path.ChangeExtension(pack, ".pack"));
            var types = Proc.Run("sh", ["-c", "git show-index < \"$0\"", pack])
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => (bytes[long.Parse(l.Split(' ')[0])] >> 4) & 7)
                .ToArray();
            var (kind, other) = name == "ref.git" ? (7, 6) : (6, 7);
            Assert.True(types.Count(t => t == kind) > 100 && !types.Contains(other), $"{name}: {types.Count(t => t == 6)} offset and {types.Count(t => t == 7)} ref deltas");
        }
    }

    [Fact]
    public void Every_object_reads_as_its_name_in_any_order_with_any_base_cache() =>
        Prop.ForAll(
            (from name in Gen.Elements(_objects.Keys.ToArray())
             from order in Gen.Shuffle(Enumerable.Range(0, _objects[name].Length).ToArray())
             from cache in Gen.Elements(CacheSizes)
             from twice in Gen.Elements(false, true)
             from systemZlib in Gen.Elements(true, false)
             select (name, order, cache, twice, systemZlib)).ToArbitrary(),
            c =>
            {
                // Without the system's zlib (an initramfs that lacks libz.so.1), .NET's own inflates.
                InflaterPool.UseSystemZlib = c.systemZlib;
                try
                {
                    var objects = _objects[c.name];
                    using var database = ObjectDatabase.Open(GitDirectory.Open(_dir.Combine(c.name)), c.cache, rescanOnMiss: false);
                    foreach (var i in c.twice ? [.. c.order, .. c.order] : c.order)
                    {
                        var (id, type, size) = objects[i];
                        var (readType, data) = database.ReadRequired(id);
                        Assert.Equal(type, readType);
                        Assert.Equal(size, data.LongLength);
                        Assert.Equal(id, Hash(readType, data));
                    }
                }
                finally
                {
                    InflaterPool.UseSystemZlib = true;
                }
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(Tier.Fast ? 8 : 40));
}
