using System.Security.Cryptography;
using System.Text;

namespace Webc.BootSafe.Git;

/// <summary>One object that does not hash to its name, cannot be read, or is missing.</summary>
public sealed record CorruptObject(ObjectId Id, string Where, string Problem);

/// <summary>
/// Re-hashes every object reachable from some commits (their history, trees and blobs), like
/// `git fsck --connectivity-only` plus hashing every blob: each object is read (blobs streamed) and
/// SHA-1("type size\0" + content) must equal its id. Every corrupt object is reported, not only the
/// first; what a corrupt tree or commit would have led to is not walked.
/// </summary>
public static class ObjectScrub
{
    /// <param name="openWorker">
    /// Opens another reader of the same repository: blobs (most of the work) are then hashed by one
    /// worker per core, each with its own reader (a reader's delta-base cache is not shared). Null:
    /// everything on this thread.
    /// </param>
    public static (long Checked, List<CorruptObject> Corrupt) Run(ObjectDatabase objects, IEnumerable<(ObjectId Commit, string Name)> roots, Func<ObjectDatabase>? openWorker = null)
    {
        // Sized for the packs (what history reaches is most of them): growing a set and a list of
        // 20,000 by doubling was 6% of a scrub, in copies and collections.
        var expected = (int)Math.Min(objects.PackedObjectCount, 1 << 22);
        var seen = new HashSet<ObjectId>(expected);
        var corrupt = new List<CorruptObject>();
        var blobs = new List<(ObjectId Id, string Where)>(expected);
        var pending = new Stack<(ObjectId Id, ObjectType Type, string Where)>();
        foreach (var (commit, name) in roots)
        {
            pending.Push((commit, ObjectType.Commit, name));
        }

        long count = 0;
        while (pending.Count > 0)
        {
            var (id, type, where) = pending.Pop();
            if (!seen.Add(id))
            {
                continue;
            }

            count++;
            if (type == ObjectType.Blob)
            {
                blobs.Add((id, where)); // a leaf: hashed below, in parallel when it can be
                continue;
            }

            try
            {
                var data = Rehash(objects, id, type);
                if (data is null)
                {
                    continue;
                }

                foreach (var next in Links(id, type, data, where))
                {
                    pending.Push(next);
                }
            }
            catch (Exception e) when (IsCorruption(e))
            {
                corrupt.Add(new CorruptObject(id, where, e.Message.ReplaceLineEndings(" ")));
            }
        }

        corrupt.AddRange(CheckBlobs(objects, blobs, openWorker));
        return (count, corrupt);
    }

    private static bool IsCorruption(Exception e) => e is CorruptRepositoryException or InvalidDataException or IOException or ArgumentException or FormatException;

    /// <summary>The corrupt ones among <paramref name="blobs"/>, in the order given.</summary>
    private static IEnumerable<CorruptObject> CheckBlobs(ObjectDatabase objects, List<(ObjectId Id, string Where)> blobs, Func<ObjectDatabase>? openWorker)
    {
        var problems = new string?[blobs.Count];
        var visits = InPackOrder(objects, blobs);
        var workers = openWorker is null || blobs.Count < 256 ? 1 : Math.Min(Environment.ProcessorCount, 8);
        var claimed = 0;
        void Work(int worker)
        {
            // The fast check only reads stored bytes (positional reads), so every worker shares the
            // packs located above; the ordinary read, which caches delta bases, gets a worker its own
            // database, opened only when some blob needs it.
            using var fast = new PackedBlobCheck();
            var window = new PackWindow();
            ObjectDatabase? own = null;
            try
            {
                // Runs of consecutive entries, claimed in turn: each worker reads the pack front to back.
                int start;
                while ((start = Interlocked.Add(ref claimed, BlobsPerClaim) - BlobsPerClaim) < visits.Length)
                {
                    var run = visits.AsSpan(start, Math.Min(BlobsPerClaim, visits.Length - start));
                    for (var j = 0; j < run.Length; j++)
                    {
                        var (i, pack, offset, _) = run[j];
                        var stored = window.Stored(run[j..]);
                        if (!stored.IsEmpty && fast.IsIntact(blobs[i].Id, pack!, offset, stored))
                        {
                            continue;
                        }

                        var db = worker == 0 ? objects : own ??= openWorker!();
                        try
                        {
                            CheckBlob(db, blobs[i].Id);
                        }
                        catch (Exception e) when (IsCorruption(e))
                        {
                            problems[i] = e.Message.ReplaceLineEndings(" ");
                        }
                    }
                }
            }
            finally
            {
                own?.Dispose();
            }
        }

        if (workers == 1)
        {
            Work(0);
        }
        else
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, Work);
        }

        for (var i = 0; i < blobs.Count; i++)
        {
            if (problems[i] is { } problem)
            {
                yield return new CorruptObject(blobs[i].Id, blobs[i].Where, problem);
            }
        }
    }

    private const int BlobsPerClaim = 512;

    /// <summary>Every blob's pack entry, in pack order (so entries are read in runs, front to back); loose and missing ones last.</summary>
    private static PackedBlob[] InPackOrder(ObjectDatabase objects, List<(ObjectId Id, string Where)> blobs)
    {
        var visits = new PackedBlob[blobs.Count];
        for (var i = 0; i < visits.Length; i++)
        {
            visits[i] = objects.TryFindPacked(blobs[i].Id, out var pack, out var offset)
                ? new PackedBlob(i, pack, offset, pack.StoredLength(offset))
                : new PackedBlob(i, null, long.MaxValue, 0);
        }

        Array.Sort(visits, static (a, b) => ReferenceEquals(a.Pack, b.Pack)
            ? a.Offset.CompareTo(b.Offset)
            : a.Pack is null ? 1 : b.Pack is null ? -1 : string.CompareOrdinal(a.Pack.Path, b.Pack.Path));
        return visits;
    }

    /// <summary>
    /// Reads one object of the <paramref name="expected"/> type and checks it hashes to its id; a blob
    /// is streamed and null returned, a commit, tree or tag is returned whole (to follow its links).
    /// Throws <see cref="CorruptRepositoryException"/> (or the reader's IO/format errors) otherwise.
    /// </summary>
    public static byte[]? Rehash(ObjectDatabase objects, ObjectId id, ObjectType expected)
    {
        if (expected == ObjectType.Blob)
        {
            CheckBlob(objects, id);
            return null;
        }

        var (actual, data) = objects.ReadRequired(id);
        if (actual != expected)
        {
            throw new CorruptRepositoryException($"is a {actual}, expected a {expected}");
        }

        var hash = Hash(expected, data);
        if (hash != id.ToString())
        {
            throw new CorruptRepositoryException($"content hashes to {hash}");
        }

        return data;
    }

    /// <summary>What a commit (tree, parents) or tree (entries but gitlinks) names, each with its expected type and a path for messages.</summary>
    public static IEnumerable<(ObjectId Id, ObjectType Type, string Where)> Links(ObjectId id, ObjectType type, byte[] data, string where)
    {
        if (type == ObjectType.Commit)
        {
            var text = Encoding.UTF8.GetString(data);
            var header = text.Split("\n\n", 2)[0].Split('\n');
            foreach (var line in header)
            {
                if (line.StartsWith("tree ", StringComparison.Ordinal) && ObjectId.TryParse(line.AsSpan(5), out var tree))
                {
                    yield return (tree, ObjectType.Tree, $"{where} ({id.ToString()[..12]}) tree");
                }
                else if (line.StartsWith("parent ", StringComparison.Ordinal) && ObjectId.TryParse(line.AsSpan(7), out var parent))
                {
                    yield return (parent, ObjectType.Commit, $"{where}^");
                }
            }

            yield break;
        }

        if (type != ObjectType.Tree)
        {
            yield break;
        }

        foreach (var entry in TreeEntry.Parse(id, data))
        {
            if (entry.IsGitlink)
            {
                continue;
            }

            var path = $"{where}/{entry.Name}";
            yield return (entry.Id, entry.IsDirectory ? ObjectType.Tree : ObjectType.Blob, path);
        }
    }

    private static void CheckBlob(ObjectDatabase objects, ObjectId id)
    {
        var (stream, size) = objects.OpenBlob(id);
        using (stream)
        {
            var actual = HashStream("blob", size, stream, out var read);
            if (read != size || actual != id.ToString())
            {
                throw new CorruptRepositoryException($"content hashes to {actual} ({read} of {size} bytes)");
            }
        }
    }

    /// <summary>The git blob id of a file's content (a kernel file on the medium against its blob).</summary>
    public static string BlobId(Stream content, long size) => HashStream("blob", size, content, out _);

    private static string Hash(ObjectType type, byte[] data)
    {
        using var stream = new MemoryStream(data, writable: false);
        return HashStream(Name(type), data.Length, stream, out _);
    }

    // One hasher and buffer per thread: scrub hashes tens of thousands of small blobs.
    [ThreadStatic]
    private static IncrementalHash? t_sha1;

    [ThreadStatic]
    private static byte[]? t_buffer;

    private static string HashStream(string type, long size, Stream content, out long read)
    {
        var sha1 = t_sha1 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        var buffer = t_buffer ??= new byte[81920];
        read = 0;
        try
        {
            sha1.AppendData(Encoding.ASCII.GetBytes($"{type} {size}\0"));
            int n;
            while ((n = content.Read(buffer, 0, buffer.Length)) > 0)
            {
                sha1.AppendData(buffer, 0, n);
                read += n;
            }
        }
        catch
        {
            sha1.GetHashAndReset(); // the next object starts from an empty hash
            throw;
        }

        return Convert.ToHexStringLower(sha1.GetHashAndReset());
    }

    private static string Name(ObjectType type) => type switch
    {
        ObjectType.Commit => "commit",
        ObjectType.Tree => "tree",
        ObjectType.Blob => "blob",
        ObjectType.Tag => "tag",
        _ => type.ToString().ToLowerInvariant(),
    };
}
