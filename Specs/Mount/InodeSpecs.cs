using Webc.BootSafe.Specs.Mount.Support;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Mount;

/// <summary>The same path of the same commit has the same inode number on every mount; different paths differ.</summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class InodeSpecs
{
    private static OracleRepo Repo => OracleRepo.Shared;

    [HostFact("fusermount3")]
    public void Inode_numbers_are_stable_across_mounts_and_unique()
    {
        Dictionary<string, string> first;
        using (var mounted = new MountedCommit(Repo.Packed, Repo.Second))
        {
            first = Inodes(mounted.Root);
        }

        Dictionary<string, string> second;
        using (var mounted = new MountedCommit(Repo.Loose, Repo.Second))
        {
            // A different lookup order first: deep paths and a late directory before any listing.
            foreach (var path in first.Keys.OrderByDescending(p => p.Length).Take(50).Concat(first.Keys.Where(p => p.StartsWith("many/f099", StringComparison.Ordinal))))
            {
                _ = new FileInfo(mounted.PathOf(path)).Exists || new DirectoryInfo(mounted.PathOf(path)).Exists;
            }

            second = Inodes(mounted.Root);
        }

        Assert.True(first.Count > OracleRepo.ManyFiles);
        Assert.Equal(first, second);
        Assert.Equal(first.Count, first.Values.Distinct().Count());
    }

    private static Dictionary<string, string> Inodes(string root) =>
        Shell.Run("find", [root, "-printf", @"%P\001%i\000"], null)
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(r => r.Split('\u0001'))
            .ToDictionary(r => r[0], r => r[1]);
}
