using LibGit2Sharp;
using Webc.BootSafe.Git;
using GitObjectId = Webc.BootSafe.Git.ObjectId;
using ObjectId = LibGit2Sharp.ObjectId;

namespace Webc.BootSafe.Fetch.Git;

/// <summary>What an accepted candidate brings onto the medium: the objects reachable from it that the medium's repository lacks.</summary>
internal static class PromotionSet
{
    public static HashSet<ObjectId> Needed(Repository quarantine, Repository main, ObjectId candidate)
    {
        var needed = new HashSet<ObjectId>();
        var commits = new Stack<ObjectId>([candidate]);
        var trees = new Stack<ObjectId>();
        while (commits.TryPop(out var id))
        {
            if (main.ObjectDatabase.Contains(id) || !needed.Add(id))
            {
                continue; // the medium has it, so (its repository being whole) its history too
            }

            var commit = quarantine.Lookup<LibGit2Sharp.Commit>(id);
            trees.Push(commit.Tree.Id);
            foreach (var parent in commit.Parents)
            {
                commits.Push(parent.Id);
            }
        }

        while (trees.TryPop(out var id))
        {
            if (main.ObjectDatabase.Contains(id) || !needed.Add(id))
            {
                continue;
            }

            foreach (var entry in quarantine.Lookup<Tree>(id))
            {
                switch (entry.TargetType)
                {
                    case TreeEntryTargetType.Tree:
                        trees.Push(entry.Target.Id);
                        break;
                    case TreeEntryTargetType.Blob when !main.ObjectDatabase.Contains(entry.Target.Id):
                        needed.Add(entry.Target.Id);
                        break;
                }
            }
        }

        return needed;
    }

    /// <summary>Whether the quarantine's own objects (packs and loose) are exactly <paramref name="needed"/>.</summary>
    public static bool ReceivedExactly(string objectsDirectory, HashSet<ObjectId> needed)
    {
        var received = new HashSet<ObjectId>();
        var packDir = Path.Combine(objectsDirectory, "pack");
        if (Directory.Exists(packDir))
        {
            foreach (var idx in Directory.EnumerateFiles(packDir, "*.idx"))
            {
                var index = PackIndex.Load(idx);
                for (var i = 0; i < index.Count; i++)
                {
                    received.Add(new ObjectId(index.NameAt(i).ToString()));
                }
            }
        }

        foreach (var dir in Directory.EnumerateDirectories(objectsDirectory, "??"))
        {
            foreach (var file in Directory.EnumerateFiles(dir))
            {
                if (GitObjectId.TryParse(Path.GetFileName(dir) + Path.GetFileName(file), out var id))
                {
                    received.Add(new ObjectId(id.ToString()));
                }
            }
        }

        return received.SetEquals(needed);
    }
}
