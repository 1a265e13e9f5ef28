namespace Webc.BootSafe.Mount.View;

/// <summary>
/// Inode numbers derived from the path alone, so the same path of the same commit gets the same
/// number on every mount whatever order it is looked up in. A 63-bit hash makes a collision
/// vanishingly rare; if one happens the later path rehashes with a salt (then, and only then, the
/// number depends on lookup order). 1 is the root, as the kernel expects.
/// </summary>
public sealed class InodeNumbers
{
    public const ulong Root = 1;

    private readonly Dictionary<ulong, string> _taken = new() { [Root] = "" };
    private readonly Lock _lock = new();

    public ulong For(string path)
    {
        if (path.Length == 0)
        {
            return Root;
        }

        lock (_lock)
        {
            for (ulong salt = 0; ; salt++)
            {
                var ino = Hash(path, salt);
                if (!_taken.TryGetValue(ino, out var owner))
                {
                    _taken[ino] = path;
                    return ino;
                }

                if (owner == path)
                {
                    return ino;
                }
            }
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
