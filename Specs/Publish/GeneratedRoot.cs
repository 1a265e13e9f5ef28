using FsCheck;
using FsCheck.Fluent;
using Webc.BootSafe.Mount.Metadata;

namespace Webc.BootSafe.Specs.Publish;

/// <summary>
/// Generated root filesystems for commit-root: directories (some empty), files with any mode incl.
/// setuid/setgid/sticky, symlinks, device nodes, FIFOs, owners and groups, file capabilities (valid
/// version-2 vfs_cap_data, as the kernel accepts), awkward names; always one kernel and initrd in boot/.
/// </summary>
public static class GeneratedRoot
{
    private static readonly string[] Names = ["a", "b", "etc", "usr", "x y", "é", "q\"uote", "back\\slash", "d-1", ".hidden"];

    public sealed record Item(RootEntry Entry, byte[] Content, string LinkTarget);

    public static Gen<List<Item>> Tree() =>
        from count in Gen.Choose(0, 30)
        from raw in Gen.ListOf(RawItem(), count)
        select Normalise(raw);

    private static Gen<Item> RawItem() =>
        from depth in Gen.Choose(1, 3)
        from segments in Gen.ArrayOf(Gen.Elements(Names), depth)
        from type in Gen.Elements(RootEntryType.Directory, RootEntryType.Directory, RootEntryType.File, RootEntryType.File, RootEntryType.File,
            RootEntryType.Symlink, RootEntryType.CharDevice, RootEntryType.BlockDevice, RootEntryType.Fifo)
        from uid in Gen.Elements(0u, 0u, 0u, 1u, 42u, 1000u, 65534u)
        from gid in Gen.Elements(0u, 0u, 0u, 5u, 42u, 1000u)
        from permissions in Gen.Elements(0x1A4, 0x1ED, 0x1A4, 0x1ED, 0x9ED, 0x5ED, 0x3FF, 0x1A0, 0x124, 0x180, 0x049, 0xDED, 0x1C0)
        from major in Gen.Choose(0, 255)
        from minor in Gen.Choose(0, 255)
        from capable in Gen.Elements(false, false, false, true)
        from capability in Capability()
        from size in Gen.Choose(0, 300)
        from target in Gen.Elements("a", "../etc", "/usr/bin/x y", "dangling/é", "./.hidden")
        select new Item(
            new RootEntry(string.Join('/', segments), type, uid, gid, permissions, (uint)major, (uint)minor,
                capable && type == RootEntryType.File ? capability : null),
            Enumerable.Range(0, size).Select(i => (byte)((i * 31 + major) & 0xFF)).ToArray(),
            target);

    /// <summary>A vfs_cap_data revision 2 (20 bytes): magic and effective flag, then permitted/inheritable low and high words.</summary>
    private static Gen<byte[]> Capability() =>
        from effective in Gen.Elements(0u, 1u)
        from permittedLow in Gen.Choose(0, int.MaxValue)
        from inheritableLow in Gen.Choose(0, 0xFFFF)
        from permittedHigh in Gen.Choose(0, 0x1FF)
        select new[] { 0x02000000u | effective, (uint)permittedLow, (uint)inheritableLow, (uint)permittedHigh, 0u }
            .SelectMany(BitConverter.GetBytes).ToArray();

    /// <summary>Unique paths; every ancestor a directory (made 0755 root when not generated); nothing below a non-directory; the kernel pair added.</summary>
    private static List<Item> Normalise(List<Item> raw)
    {
        var byPath = new Dictionary<string, Item>(StringComparer.Ordinal);
        foreach (var item in raw)
        {
            byPath.TryAdd(item.Entry.Path, item);
        }

        foreach (var path in byPath.Keys.ToList())
        {
            for (var parent = Parent(path); parent.Length > 0; parent = Parent(parent))
            {
                if (!byPath.ContainsKey(parent))
                {
                    byPath[parent] = new Item(new RootEntry(parent, RootEntryType.Directory, 0, 0, 0x1ED), [], "");
                }
            }
        }

        var kept = byPath.Values
            .Where(i => !Ancestors(i.Entry.Path).Any(a => byPath[a].Entry.Type != RootEntryType.Directory))
            .Where(i => i.Entry.Path.Split('/')[0] != "boot")
            .ToList();
        kept.Add(new Item(new RootEntry("boot", RootEntryType.Directory, 0, 0, 0x1ED), [], ""));
        kept.Add(new Item(new RootEntry("boot/vmlinuz-6.1.0-spec", RootEntryType.File, 0, 0, 0x1A4), "kernel"u8.ToArray(), ""));
        kept.Add(new Item(new RootEntry("boot/initrd.img-6.1.0-spec", RootEntryType.File, 0, 0, 0x1A4), "initrd"u8.ToArray(), ""));
        return kept.OrderBy(i => i.Entry.Path, StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var parent = Parent(path); parent.Length > 0; parent = Parent(parent))
        {
            yield return parent;
        }
    }

    private static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }
}
