using System.Buffers;
using System.Text;
using Webc.BootSafe.Git;
using Webc.BootSafe.Mount.Metadata;

namespace Webc.BootSafe.Mount.View;

/// <summary>
/// The read-only filesystem view of one commit, independent of FUSE: path lookup, directory
/// listings, sizes from object headers, open files backed by a few reused buffers (small
/// blobs) or a streaming inflater (large ones), and the metadata file's overrides.
/// </summary>
public sealed class GitFsView : IDisposable
{
    public const string CommitIdFile = ".git-fs-commit-id";
    public const string TreeIdFile = ".git-fs-tree-id";

    private readonly ObjectDatabase _odb;
    private readonly InodeNumbers _inodes = new();
    private readonly SmallBlobSlots _small;
    private readonly RebuiltBlobs _rebuilt;
    private readonly StreamCursors _cursors;
    private readonly Dictionary<string, List<(string Name, MetadataDevice? Device)>> _extras;
    private readonly Lock _lock = new();
    private readonly bool _ownsDatabase;
    private readonly RepositoryAtDotGit? _dotGit;

    public Commit Commit { get; }

    public Node Root { get; }

    public MetadataRules Metadata { get; }

    public long CommitTimeSeconds { get; }

    public GitFsViewOptions Options { get; }

    /// <summary>Opens a repository and resolves a revision; the view owns (and disposes) the object database.</summary>
    public static GitFsView Open(string repo, string revision, GitFsViewOptions? options = null)
    {
        var git = GitDirectory.Open(repo);
        var odb = ObjectDatabase.Open(git, readHeadersAhead: true);
        try
        {
            return new GitFsView(odb, RevisionResolver.Resolve(git, odb, revision), options, ownsDatabase: true, repository: git.CommonDir);
        }
        catch
        {
            odb.Dispose();
            throw;
        }
    }

    /// <param name="repository">The repository directory <paramref name="odb"/> reads from; needed for <see cref="GitFsViewOptions.WithGit"/>.</param>
    public GitFsView(ObjectDatabase odb, Commit commit, GitFsViewOptions? options = null, bool ownsDatabase = false, string? repository = null)
    {
        _odb = odb;
        _ownsDatabase = ownsDatabase;
        Commit = commit;
        Options = options ?? new GitFsViewOptions();
        _small = new SmallBlobSlots(Options.SmallBlobSlots, (int)Options.SmallBlobBytes);
        _rebuilt = new RebuiltBlobs(Options.RebuiltBlobBudgetBytes);
        _cursors = new StreamCursors(_odb.OpenBlob);
        if (Options.WithGit)
        {
            // The common directory, not a linked worktree's own: it holds the objects and works alone.
            _dotGit = new RepositoryAtDotGit(repository ?? throw new ArgumentException("WithGit needs the repository directory", nameof(repository)), _inodes);
        }

        CommitTimeSeconds = commit.CommitTime.ToUnixTimeSeconds();
        Root = new Node { Kind = NodeKind.Directory, Path = "", Name = "", Id = commit.Tree, Permissions = 0x1ED };
        _inodes.Add(Root);
        Metadata = Options.ApplyMetadata ? LoadMetadata() : MetadataRules.Empty;
        _extras = IndexByParent(Metadata.Directories, Metadata.Devices);
        Metadata.Apply(Root);
    }

    /// <summary>Finds a node by an absolute path as FUSE passes it ("/", "/a/b"); null if absent.</summary>
    public Node? Lookup(ReadOnlySpan<char> path)
    {
        var node = Root;
        path = path.TrimStart('/');
        while (!path.IsEmpty)
        {
            var slash = path.IndexOf('/');
            var name = slash < 0 ? path : path[..slash];
            path = slash < 0 ? default : path[(slash + 1)..];
            if (name.IsEmpty)
            {
                continue;
            }

            var child = Child(node, name);
            if (child is null)
            {
                return null;
            }

            node = child;
        }

        return node;
    }

    /// <summary>
    /// The node numbered <paramref name="ino"/> (FUSE's low-level API names nodes by number); null
    /// for a number this view never handed out. Every node handed out stays findable.
    /// </summary>
    public Node? Find(ulong ino) => _inodes.Find(ino);

    /// <summary>The child of <paramref name="directory"/> called <paramref name="name"/> (Latin-1, one char per byte); null if absent or not a directory.</summary>
    public Node? Child(Node directory, ReadOnlySpan<char> name)
    {
        if (!directory.IsDirectory)
        {
            return null;
        }

        LoadChildren(directory);
        return directory.ChildLookup.TryGetValue(name, out var child) ? child : null;
    }

    /// <summary>Finds a node by a path given as ordinary (UTF-8) text, e.g. from managed callers.</summary>
    public Node? LookupText(string path) => Lookup(Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(path)));

    /// <summary>The children in tree order (then the metadata file's extra directories).</summary>
    public ReadOnlySpan<Node> Children(Node directory)
    {
        LoadChildren(directory);
        return directory.Ordered;
    }

    public long SizeOf(Node node)
    {
        if (node.KnownSize >= 0)
        {
            return node.KnownSize;
        }

        var size = node.Kind switch
        {
            NodeKind.File or NodeKind.Symlink => _odb.ReadHeader(node.Id).Size,
            NodeKind.Synthetic => node.Content!.LongLength,
            NodeKind.Device => 0,
            _ => 4096,
        };
        node.KnownSize = size;
        return size;
    }

    /// <summary>Hard link count: 2 plus subdirectories for a directory, as find's leaf optimisation expects.</summary>
    public int LinkCount(Node node)
    {
        if (!node.IsDirectory)
        {
            return 1;
        }

        LoadChildren(node);
        return 2 + node.SubdirectoryCount;
    }

    public byte[] ReadLink(Node node) => node.Kind == NodeKind.Symlink
        ? node.HostPath is null ? _odb.Read(node.Id, ObjectType.Blob) : RepositoryAtDotGit.ReadLink(node)
        : throw new InvalidOperationException($"{node.Path} is not a symlink");

    public OpenBlob Open(Node node)
    {
        if (node.HostPath is not null && node.Kind == NodeKind.File)
        {
            return RepositoryAtDotGit.Open(node);
        }

        switch (node.Kind)
        {
            case NodeKind.Synthetic:
                return new MemoryBlob(node.Content!);
            case NodeKind.File:
                var size = SizeOf(node);
                if (size <= Options.SmallBlobBytes)
                {
                    return new MemoryBlob(_odb.Read(node.Id, ObjectType.Blob));
                }

                var id = node.Id;
                if (IsDeltified(node))
                {
                    return new MemoryBlob(Rebuilt(id));
                }

                return new StreamingBlob(() => _odb.OpenBlob(id), size);
            default:
                throw new InvalidOperationException($"{node.Path} is not a file");
        }
    }

    /// <summary>
    /// A read without an open handle (the kernel opens files without asking once told so), handed to
    /// <paramref name="reply"/> exactly once (see <see cref="OpenBlob.Serve{TState}"/>): synthetic files
    /// and deltified large blobs (the shared rebuilt copy) straight from memory, whole large blobs
    /// through shared streaming cursors, small blobs from the content cache copied into
    /// <paramref name="scratch"/>.
    /// </summary>
    public void ServeAt<TState>(Node node, long offset, Span<byte> scratch, ReadOnlySpanAction<byte, TState> reply, TState state)
    {
        if (node.HostPath is not null && node.Kind == NodeKind.File)
        {
            reply(scratch[..RepositoryAtDotGit.ReadAt(node, offset, scratch)], state);
            return;
        }

        switch (node.Kind)
        {
            case NodeKind.Synthetic:
                reply(MemoryBlob.Slice(node.Content!, offset, scratch.Length), state);
                return;
            case NodeKind.File:
                var size = SizeOf(node);
                if (size <= Options.SmallBlobBytes)
                {
                    reply(scratch[.._small.Read(node.Id, offset, scratch, ReadBlob)], state);
                }
                else if (IsDeltified(node))
                {
                    reply(MemoryBlob.Slice(Rebuilt(node.Id), offset, scratch.Length), state);
                }
                else
                {
                    _cursors.Serve(node.Id, size, offset, scratch, reply, state);
                }

                return;
            default:
                throw new InvalidOperationException($"{node.Path} is not a file");
        }
    }

    /// <summary>Rebuilt delta blobs kept now, and how often one was rebuilt (for specs).</summary>
    public RebuiltBlobs RebuiltBlobs => _rebuilt;

    private bool IsDeltified(Node node) => node.Deltified ??= _odb.IsDeltified(node.Id);

    private byte[] Rebuilt(ObjectId id) => _rebuilt.Get(id, i => _odb.Read(i, ObjectType.Blob));

    public long PackedObjectCount => _odb.PackedObjectCount;

    public long PackBytes => _odb.PackBytes;

    private byte[] ReadBlob(ObjectId id) => _odb.Read(id, ObjectType.Blob);

    private void LoadChildren(Node dir)
    {
        if (dir.Children is not null)
        {
            return;
        }

        lock (_lock)
        {
            if (dir.Children is not null)
            {
                return;
            }

            var children = new Dictionary<string, Node>(StringComparer.Ordinal);
            var ordered = new List<Node>();
            var subdirectories = 0;

            void Add(Node child)
            {
                if (children.TryAdd(child.Name, child))
                {
                    ordered.Add(child);
                    if (child.IsDirectory)
                    {
                        subdirectories++;
                    }
                }
            }

            if (ReferenceEquals(dir, Root))
            {
                Add(Synthetic(CommitIdFile, Commit.Id));
                Add(Synthetic(TreeIdFile, Commit.Tree));
                if (_dotGit is not null)
                {
                    // Added before the tree's entries, though TreeRules hide a tree's own .git
                    // anyway, and before the metadata file's directories: the name is the repository's.
                    Add(_dotGit.Root(Root));
                }
            }

            if (dir.HostPath is not null)
            {
                foreach (var child in _dotGit!.Children(dir))
                {
                    Add(child);
                }
            }

            if (dir.Kind == NodeKind.Directory && dir.Id != default)
            {
                // The one name rule fetch applies (TreeRules): an entry it would refuse is hidden,
                // and a name listed twice is hidden in every copy, so what is served can never
                // differ from what a reader taking the other copy verified.
                var entries = TreeEntry.Parse(dir.Id, _odb.Read(dir.Id, ObjectType.Tree));
                var twice = NamesListedTwice(entries);
                foreach (var entry in entries)
                {
                    if (TreeRules.IsAllowedName(entry.Name) && twice?.Contains(entry.Name) != true)
                    {
                        Add(FromEntry(dir, entry));
                    }
                }
            }

            if (dir.HostPath is null && _extras.TryGetValue(dir.Path, out var extras))
            {
                foreach (var (name, device) in extras)
                {
                    Add(device is null
                        ? NewNode(NodeKind.Directory, dir, name, default, 0x1ED)
                        : NewNode(NodeKind.Device, dir, name, default, 0x180, device));
                }
            }

            dir.SubdirectoryCount = subdirectories;
            dir.Ordered = [.. ordered];
            dir.ChildLookup = children.GetAlternateLookup<ReadOnlySpan<char>>();
            dir.Children = children;
        }
    }

    private static HashSet<string>? NamesListedTwice(IReadOnlyList<TreeEntry> entries)
    {
        // Read for every directory listed: one set of the names, and a second only when a tree
        // (never a well-formed one) repeats a name.
        var seen = new HashSet<string>(entries.Count, StringComparer.Ordinal);
        HashSet<string>? twice = null;
        foreach (var entry in entries)
        {
            if (!seen.Add(entry.Name))
            {
                (twice ??= new HashSet<string>(StringComparer.Ordinal)).Add(entry.Name);
            }
        }

        return twice;
    }

    private Node FromEntry(Node parent, TreeEntry entry)
    {
        if (entry.IsDirectory)
        {
            return NewNode(NodeKind.Directory, parent, entry.Name, entry.Id, 0x1ED);
        }

        if (entry.IsGitlink)
        {
            return NewNode(NodeKind.Submodule, parent, entry.Name, entry.Id, 0x1ED);
        }

        if (entry.IsSymlink)
        {
            return NewNode(NodeKind.Symlink, parent, entry.Name, entry.Id, 0x1FF);
        }

        return NewNode(NodeKind.File, parent, entry.Name, entry.Id, entry.IsExecutable ? 0x1ED : 0x1A4);
    }

    private Node NewNode(NodeKind kind, Node parent, string name, ObjectId id, int permissions, MetadataDevice? device = null)
    {
        var path = parent.Path.Length == 0 ? name : parent.Path + "/" + name;
        var node = new Node
        {
            Kind = kind,
            Path = path,
            Name = name,
            Id = id,
            Parent = parent,
            Permissions = permissions,
            DeviceTypeBits = device?.TypeBits ?? 0,
            RDev = device?.RDev ?? 0,
        };
        if (kind == NodeKind.Submodule)
        {
            node.Children = new Dictionary<string, Node>(StringComparer.Ordinal);
            node.ChildLookup = node.Children.GetAlternateLookup<ReadOnlySpan<char>>();
            node.Ordered = [];
        }

        _inodes.Add(node);
        Metadata?.Apply(node);
        return node;
    }

    private Node Synthetic(string name, ObjectId id)
    {
        var node = new Node
        {
            Kind = NodeKind.Synthetic,
            Parent = Root,
            Path = name,
            Name = name,
            Permissions = 0x124,
            Content = Encoding.ASCII.GetBytes(id + "\n"),
        };
        _inodes.Add(node);
        return node;
    }

    private MetadataRules LoadMetadata() => CommitMetadata.Load(_odb, Commit);

    private static Dictionary<string, List<(string Name, MetadataDevice? Device)>> IndexByParent(IReadOnlyList<string> directories, IReadOnlyList<MetadataDevice> devices)
    {
        var byParent = new Dictionary<string, List<(string Name, MetadataDevice? Device)>>(StringComparer.Ordinal);
        var seen = new HashSet<(string, string)>();
        foreach (var (leaf, device) in directories.Select(d => (d, (MetadataDevice?)null)).Concat(devices.Select(d => (d.Path, (MetadataDevice?)d))))
        {
            // Every ancestor too (as a directory), so "var/lib/x" appears even if var/lib is not in the commit.
            var path = leaf;
            var node = device;
            while (path.Length > 0)
            {
                var slash = path.LastIndexOf('/');
                var parent = slash < 0 ? "" : path[..slash];
                var name = slash < 0 ? path : path[(slash + 1)..];
                if (seen.Add((parent, name)))
                {
                    (byParent.TryGetValue(parent, out var l) ? l : byParent[parent] = []).Add((name, node));
                }

                path = parent;
                node = null;
            }
        }

        return byParent;
    }

    public void Dispose()
    {
        _cursors.Dispose();
        if (_ownsDatabase)
        {
            _odb.Dispose();
        }
    }
}
