namespace Webc.BootSafe.Mount.View;

/// <summary>
/// Inode numbers derived from the path alone, so the same path of the same commit gets the same
/// number on every mount whatever order it is looked up in. A 63-bit hash makes a collision
/// vanishingly rare; if one happens the later path rehashes with a salt (then, and only then, the
/// number depends on lookup order). 1 is the root, as the kernel expects.
/// <para>
/// The numbers are also how FUSE's low-level API names nodes, so this is the one table from number
/// to node. Nodes are never dropped (a commit never changes and a loaded directory keeps its
/// children), so every number ever handed to the kernel stays resolvable until unmount, and a
/// FORGET needs no bookkeeping. The table holds nodes the tree already holds: it costs one entry
/// per node, as the number-to-path table it replaced did.
/// </para>
/// </summary>
public sealed class InodeNumbers
{
    public const ulong Root = 1;

    private readonly Dictionary<ulong, Node> _nodes = new();
    private readonly Lock _lock = new();

    /// <summary>
    /// Numbers <paramref name="node"/> by its path and makes it findable. A second node of a path
    /// already numbered gets the same number but is not kept: the first stays, as a directory keeps
    /// the first child of a name.
    /// </summary>
    public void Add(Node node)
    {
        lock (_lock)
        {
            if (node.Path.Length == 0)
            {
                node.Ino = Root;
                _nodes.TryAdd(Root, node);
                return;
            }

            for (ulong salt = 0; ; salt++)
            {
                var ino = Hash(node.Path, salt);
                if (!_nodes.TryGetValue(ino, out var owner))
                {
                    node.Ino = ino;
                    _nodes[ino] = node;
                    return;
                }

                if (owner.Path == node.Path)
                {
                    node.Ino = ino;
                    return;
                }
            }
        }
    }

    /// <summary>The node numbered <paramref name="ino"/>; null for a number never handed out.</summary>
    public Node? Find(ulong ino)
    {
        lock (_lock)
        {
            return _nodes.GetValueOrDefault(ino);
        }
    }

    public static ulong Hash(string path, ulong salt)
    {
        // FNV-1a over the path's bytes, then a splitmix64 finaliser to spread the bits.
        var h = 0xcbf29ce484222325UL ^ salt;
        foreach (var ch in path)
        {
            h = (h ^ ch) * 0x100000001b3UL;
        }

        h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9UL;
        h = (h ^ (h >> 27)) * 0x94d049bb133111ebUL;
        h ^= h >> 31;
        h &= 0x7fff_ffff_ffff_ffffUL;
        return h < 2 ? h + 2 : h;
    }
}
