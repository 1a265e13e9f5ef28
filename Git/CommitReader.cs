namespace Webc.BootSafe.Git;

/// <summary>
/// The one way BootSafe reads a commit: open a repository (bare, work tree or linked worktree;
/// objects borrowed through objects/info/alternates, as the fetch quarantine borrows the medium's),
/// resolve a name to a commit, list trees, judge every tree by <see cref="TreeRules"/>, find the
/// kernel pair by <see cref="KernelPairRule"/>, and read or stream blobs. Pure C#, so the same code
/// runs in the NativeAOT binary and under the JIT. LibGit2Sharp remains only for the network fetch,
/// signatures and ancestry.
/// </summary>
public sealed class CommitReader : IDisposable
{
    private CommitReader(GitDirectory git, ObjectDatabase objects)
    {
        Git = git;
        Objects = objects;
    }

    public GitDirectory Git { get; }

    public ObjectDatabase Objects { get; }

    public static CommitReader Open(string repository)
    {
        var git = GitDirectory.Open(repository);
        return new CommitReader(git, ObjectDatabase.Open(git));
    }

    /// <summary>A full or abbreviated hash, HEAD, a branch, a tag (peeled) or a full ref, as a commit.</summary>
    public Commit Resolve(string name) => RevisionResolver.Resolve(Git, Objects, name);

    /// <summary>The commit with this id; a tree rule error if it is absent or not a commit.</summary>
    public Commit Lookup(ObjectId id)
    {
        if (!Objects.Contains(id))
        {
            throw new TreeRuleException($"commit {id} is not in {Git.GitDir}");
        }

        return Commit.Parse(id, Objects.Read(id, ObjectType.Commit));
    }

    public List<TreeEntry> ListTree(ObjectId tree) => TreeEntry.Parse(tree, Objects.Read(tree, ObjectType.Tree));

    /// <summary>The entry at a '/'-separated path of a commit's tree, or null.</summary>
    public TreeEntry? Find(Commit commit, string path)
    {
        var tree = commit.Tree;
        var parts = path.Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            var matches = ListTree(tree).Where(e => e.Name == parts[i]).ToList();
            if (matches is not [var entry])
            {
                return null; // absent, or named twice: a path that means two things means nothing
            }

            if (i == parts.Length - 1)
            {
                return entry;
            }

            if (!entry.IsDirectory)
            {
                return null;
            }

            tree = entry.Id;
        }

        return null;
    }

    /// <summary>
    /// Judges every tree of the commit by <see cref="TreeRules"/> (each distinct tree once) and
    /// returns how many trees were read; throws <see cref="TreeRuleException"/> naming the first
    /// tree that breaks a rule and where it sits.
    /// </summary>
    /// <param name="accepted">
    /// The root tree of a revision already accepted (a fetch's known-good): a subtree the commit
    /// holds unchanged at the same path is not read again, so a fetch judges what the update changed
    /// and its cost follows the update, not the repository. The rules judge a tree by its bytes alone,
    /// never by where it sits, so an unchanged subtree has the verdict it had. A tree of the accepted
    /// revision that cannot be read is no reason to refuse: the walk then reads everything below it.
    /// </param>
    public int CheckTrees(Commit commit, ObjectId? accepted = null)
    {
        var seen = new HashSet<ObjectId>();
        var pending = new Stack<(ObjectId Tree, string Path, ObjectId? Accepted)>();
        pending.Push((commit.Tree, "/", accepted));
        while (pending.Count > 0)
        {
            var (id, path, before) = pending.Pop();
            if (id == before || !seen.Add(id))
            {
                continue;
            }

            var body = Objects.Read(id, ObjectType.Tree);
            if (TreeRules.Refusal(body) is { } refusal)
            {
                throw new TreeRuleException($"commit {commit.Id}: tree {id} at '{path}': {refusal}");
            }

            var beforeDirectories = before is { } b ? AcceptedDirectories(b) : null;
            foreach (var entry in TreeEntry.Parse(id, body))
            {
                if (entry.IsDirectory)
                {
                    pending.Push((entry.Id, path + entry.Name + "/",
                        beforeDirectories is not null && beforeDirectories.TryGetValue(entry.Name, out var was) ? was : null));
                }
            }
        }

        return seen.Count;
    }

    private Dictionary<string, ObjectId>? AcceptedDirectories(ObjectId tree)
    {
        try
        {
            var directories = new Dictionary<string, ObjectId>(StringComparer.Ordinal);
            foreach (var entry in ListTree(tree))
            {
                if (entry.IsDirectory)
                {
                    directories.TryAdd(entry.Name, entry.Id);
                }
            }

            return directories;
        }
        catch (CorruptRepositoryException)
        {
            return null; // damaged or missing: judge everything below instead
        }
    }

    public KernelPair KernelPair(Commit commit, string? flavour) =>
        KernelPairRule.Find(commit.Id, ListTree(commit.Tree), ListTree, flavour);

    /// <summary>The tree rules, then the kernel pair: what every path that accepts a revision demands.</summary>
    /// <param name="accepted">See <see cref="CheckTrees"/>.</param>
    public KernelPair Accept(Commit commit, string? flavour, ObjectId? accepted = null)
    {
        CheckTrees(commit, accepted);
        return KernelPair(commit, flavour);
    }

    public byte[] ReadBlob(ObjectId id) => Objects.Read(id, ObjectType.Blob);

    /// <summary>A blob as a stream (inflated as it is read unless it is a delta); the caller disposes it.</summary>
    public (Stream Stream, long Size) OpenBlob(ObjectId id) => Objects.OpenBlob(id);

    public long SizeOf(ObjectId id) => Objects.ReadHeader(id).Size;

    public void Dispose() => Objects.Dispose();
}
