using LibGit2Sharp;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Fetch.Git;

/// <summary>
/// A scratch repository beside the real one that borrows its objects (objects/info/alternates) and
/// its refs (for negotiation). A fetch writes only here; a refused or aborted candidate disappears
/// with the directory, and an accepted one's objects are moved into the real repository.
/// </summary>
public sealed class Quarantine : IDisposable
{
    private Quarantine(string path, Repository repository)
    {
        Path = path;
        Repository = repository;
    }

    public string Path { get; }

    public Repository Repository { get; }

    public static string Location(MediumLayout layout) => System.IO.Path.Combine(layout.BootSafe, "incoming.git");

    public static Quarantine Open(MediumLayout layout, Repository main)
    {
        var path = Location(layout);
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }

            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OperationFailedException($"Not a writable boot medium: {layout.Root} ({e.Message})", e);
        }

        Repository.Init(path, isBare: true);
        var mainObjects = System.IO.Path.Combine(main.Info.Path, "objects");
        File.WriteAllText(System.IO.Path.Combine(path, "objects", "info", "alternates"), System.IO.Path.GetFullPath(mainObjects) + "\n");
        var repository = new Repository(path);
        CopyRefs(main, repository);
        return new Quarantine(path, repository);
    }

    // Main's refs are "have"s for the negotiation, nothing more: libgit2 ends the listing at the
    // first damaged loose ref (a power cut, an edit), and a fetch without the rest only transfers
    // more. The kept refs, which name the machine's revisions, the caller sets from the record.
    private static void CopyRefs(Repository main, Repository quarantine)
    {
        try
        {
            foreach (var reference in main.Refs)
            {
                if (reference is DirectReference { Target: Commit } direct)
                {
                    quarantine.Refs.Add(direct.CanonicalName, direct.Target.Id, allowOverwrite: true);
                }
            }
        }
        catch (LibGit2SharpException)
        {
        }
    }

    /// <summary>
    /// Moves into <paramref name="main"/>'s object store only the objects the candidate needs
    /// (<paramref name="needed"/>: reachable from it and not there yet, as verification found them):
    /// a mirror that pads an update with unreachable objects gets none of them onto the medium. When
    /// the received objects are exactly those, they move as received; otherwise the needed ones are
    /// repacked and the rest deleted with the quarantine. Durably: each file is fsynced, renamed in,
    /// and its directory fsynced; a pack's index goes last so a crash never leaves an index without its pack.
    /// </summary>
    public void Promote(Repository main, IMediumStorage storage, IReadOnlySet<Webc.BootSafe.Git.ObjectId> needed)
    {
        var from = System.IO.Path.Combine(Path, "objects");
        if (!PromotionSet.ReceivedExactly(from, needed))
        {
            from = System.IO.Path.Combine(Path, "promote");
            Directory.CreateDirectory(System.IO.Path.Combine(from, "pack"));
            if (needed.Count > 0)
            {
                Repository.ObjectDatabase.Pack(new PackBuilderOptions(System.IO.Path.Combine(from, "pack")), builder =>
                {
                    foreach (var id in needed)
                    {
                        builder.Add(new ObjectId(id.ToString()));
                    }
                });
            }
        }

        MoveObjects(main, storage, from);
    }

    private static void MoveObjects(Repository main, IMediumStorage storage, string from)
    {
        var to = System.IO.Path.Combine(main.Info.Path, "objects");
        var files = Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(from, f))
            .Where(r => !r.StartsWith("info" + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .OrderBy(r => r.EndsWith(".idx", StringComparison.Ordinal) ? 1 : 0)
            .ThenBy(r => r, StringComparer.Ordinal)
            .ToList();
        foreach (var relative in files)
        {
            var source = System.IO.Path.Combine(from, relative);
            var target = System.IO.Path.Combine(to, relative);
            var directory = System.IO.Path.GetDirectoryName(target)!;
            if (storage.FileExists(target))
            {
                continue;
            }

            storage.CreateDirectory(directory);
            storage.Sync(source);
            storage.Rename(source, target);
            storage.SyncDirectory(directory);
        }
    }

    public void Dispose()
    {
        Repository.Dispose();
        Discard();
    }

    /// <summary>Deletes the scratch repository (also while libgit2 still writes into it: its files are unlinked).</summary>
    public void Discard()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next fetch, which clears it before starting.
        }
    }
}
