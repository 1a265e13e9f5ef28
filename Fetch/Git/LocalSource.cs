using System.Text;
using Webc.BootSafe.Git;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Fetch.Git;

/// <summary>
/// A path or file:// remote is served inside this process: libgit2's local transport packs the
/// source's objects itself, reading each one whole, before any byte reaches the quarantine or a
/// progress report. So a local source is judged first, from headers only: every object the
/// candidate brings (reachable from the branch or tag and not already on the medium) must be at
/// most max-object-bytes, and together they must fit in max-fetch-bytes as they are stored.
/// </summary>
internal static class LocalSource
{
    public static string? DirectoryOf(string remote)
    {
        if (remote.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.UnescapeDataString(remote["file://".Length..]);
        }

        return !remote.Contains("://", StringComparison.Ordinal) && Directory.Exists(remote) ? remote : null;
    }

    public static void Check(string directory, string remote, FetchRequest request, string mainRepository)
    {
        GitDirectory source;
        try
        {
            source = GitDirectory.Open(directory);
        }
        catch (Exception e) when (e is BadInputException or IOException or UnauthorizedAccessException)
        {
            return; // not a repository: libgit2 says so in its own words
        }

        using var objects = ObjectDatabase.Open(source, baseCacheBytes: 0);
        using var main = ObjectDatabase.Open(GitDirectory.Open(mainRepository), baseCacheBytes: 0);
        var tips = new[] { $"refs/heads/{request.Revision}", $"refs/tags/{request.Revision}" }
            .Select(name => TryResolve(source, objects, name))
            .OfType<ObjectId>()
            .ToList();
        var seen = new HashSet<ObjectId>();
        var pending = new Stack<ObjectId>(tips);
        long stored = 0;
        while (pending.TryPop(out var id))
        {
            if (!seen.Add(id) || main.Contains(id) || !objects.Contains(id))
            {
                continue; // already on the medium, or missing: libgit2 reports a missing object
            }

            var header = objects.ReadHeader(id);
            if (header.Size > request.MaxObjectBytes)
            {
                throw new OperationFailedException(
                    $"fetch from {remote} refused: {header.Type} {id} is {header.Size} bytes, larger than max-object-bytes ({request.MaxObjectBytes}); nothing was changed");
            }

            stored += objects.StoredSize(id);
            if (stored > request.MaxBytes)
            {
                throw new OperationFailedException(
                    $"fetch from {remote} aborted: the transfer passed max-fetch-bytes ({request.MaxBytes} bytes; the new objects take more than that in {directory}); nothing was changed");
            }

            switch (header.Type)
            {
                case ObjectType.Commit:
                    foreach (var next in Links(objects.Read(id, ObjectType.Commit)))
                    {
                        pending.Push(next);
                    }

                    break;
                case ObjectType.Tag:
                    foreach (var next in Links(objects.Read(id, ObjectType.Tag)))
                    {
                        pending.Push(next);
                    }

                    break;
                case ObjectType.Tree:
                    foreach (var entry in TreeEntry.Parse(id, objects.Read(id, ObjectType.Tree)).Where(e => !e.IsGitlink))
                    {
                        pending.Push(entry.Id);
                    }

                    break;
            }
        }
    }

    private static ObjectId? TryResolve(GitDirectory source, ObjectDatabase objects, string name)
    {
        try
        {
            return RevisionResolver.ResolveId(source, objects, name);
        }
        catch (Exception e) when (e is BadInputException or CorruptRepositoryException)
        {
            return null;
        }
    }

    /// <summary>The tree, parents and tag target named in a commit's or tag's header lines.</summary>
    private static IEnumerable<ObjectId> Links(byte[] body)
    {
        var result = new List<ObjectId>();
        foreach (var line in Encoding.ASCII.GetString(body).Split('\n'))
        {
            if (line.Length == 0)
            {
                break;
            }

            var space = line.IndexOf(' ');
            if (space > 0 && line[..space] is "tree" or "parent" or "object" && ObjectId.TryParse(line.AsSpan(space + 1), out var id))
            {
                result.Add(id);
            }
        }

        return result;
    }
}
