using System.Text;
using Webc.BootSafe.Git;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Fetch.Git;

/// <summary>
/// A path or file:// remote is read inside this process, without libgit2's local transport: that
/// transport packs everything reachable from every ref of the source (an annotated tag brings its
/// whole tree again, even when its commit is on the medium) and inflates each object whole before
/// any byte reaches the quarantine or a progress report. Instead the source is walked from the
/// branch or tag, from headers only, down to what the medium already has: every object the
/// candidate brings must be at most max-object-bytes, and together they must fit in max-fetch-bytes
/// as they are stored; then exactly those objects are packed into the quarantine and the incoming
/// ref set, so the bytes written are the update's and nothing else.
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

    /// <summary>Fetches into <paramref name="quarantine"/>; null when <paramref name="directory"/> is not a repository (libgit2 then says so in its own words).</summary>
    public static TransferSnapshot? Fetch(
        string directory, string remote, FetchRequest request, string mainRepository, LibGit2Sharp.Repository quarantine, IProgress<TransferSnapshot>? progress = null)
    {
        GitDirectory source;
        try
        {
            source = GitDirectory.Open(directory);
        }
        catch (Exception e) when (e is BadInputException or IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var (tips, brings) = Walk(source, remote, directory, request, mainRepository);
        var packDir = Path.Combine(quarantine.Info.Path, "objects", "pack");
        if (brings.Count > 0)
        {
            // The walk knows how many objects come; copying them is the transfer (seconds for a large
            // update), so the log shows it starting rather than one line after it has ended.
            progress?.Report(new TransferSnapshot(0, brings.Count, 0, 0));
            using var from = new LibGit2Sharp.Repository(source.GitDir);
            from.ObjectDatabase.Pack(new LibGit2Sharp.PackBuilderOptions(packDir), builder =>
            {
                foreach (var id in brings)
                {
                    builder.Add(new LibGit2Sharp.ObjectId(id.ToString()));
                }
            });
        }

        foreach (var (name, id) in tips)
        {
            quarantine.Refs.Add(name, new LibGit2Sharp.ObjectId(id.ToString()), allowOverwrite: true);
        }

        var written = Directory.Exists(packDir) ? Directory.EnumerateFiles(packDir, "*.pack").Sum(f => new FileInfo(f).Length) : 0;
        return new TransferSnapshot(brings.Count, brings.Count, brings.Count, written);
    }

    private static (List<(string Ref, ObjectId Id)> Tips, List<ObjectId> Brings) Walk(
        GitDirectory source, string remote, string directory, FetchRequest request, string mainRepository)
    {
        using var objects = ObjectDatabase.Open(source, baseCacheBytes: 0, rescanOnMiss: false);
        using var main = ObjectDatabase.Open(GitDirectory.Open(mainRepository), baseCacheBytes: 0, rescanOnMiss: false);
        var tips = new List<(string Ref, ObjectId Id)>();
        foreach (var (name, incoming) in new[] { ($"refs/heads/{request.Revision}", IncomingRefs.Branch(request.Revision)), ($"refs/tags/{request.Revision}", IncomingRefs.Tag(request.Revision)) })
        {
            if (TryResolve(source, objects, name) is { } tip && (objects.Contains(tip) || main.Contains(tip)))
            {
                tips.Add((incoming, tip));
            }
        }

        var seen = new HashSet<ObjectId>();
        var brings = new List<ObjectId>();
        var pending = new Stack<ObjectId>(tips.Select(t => t.Id));
        long stored = 0;
        while (pending.TryPop(out var id))
        {
            if (!seen.Add(id) || main.Contains(id) || !objects.Contains(id))
            {
                continue; // already on the medium, or missing: libgit2 reports a missing object
            }

            brings.Add(id);
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

        return (tips, brings);
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
