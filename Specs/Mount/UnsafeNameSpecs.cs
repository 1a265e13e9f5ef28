using System.Text;
using Webc.BootSafe.Specs.Mount.Support;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Mount;

/// <summary>A hand-made tree with ".", ".." and a name containing "/" serves only its safe entries.</summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class UnsafeNameSpecs
{
    [HostFact("fusermount3")]
    public void Unsafe_tree_entry_names_are_never_served()
    {
        using var dir = new TempDirectory("gitfs-spec");
        var repo = GitRepo.Init(dir.Sub("repo"));
        var blob = Shell.Run("bash", ["-c", $"printf 'secret\\n' | git -C '{repo.Dir}' hash-object -w --stdin"], null).Trim();
        var tree = new MemoryStream();
        foreach (var name in new[] { " ok", ".", "..", "a/b", "safe" }.Order(StringComparer.Ordinal))
        {
            tree.Write(Encoding.ASCII.GetBytes($"100644 {name}\0"));
            tree.Write(Convert.FromHexString(blob));
        }

        var treeFile = Path.Combine(dir.Path, "tree.bin");
        File.WriteAllBytes(treeFile, tree.ToArray());
        var treeId = repo.Git("hash-object", "-t", "tree", "-w", "--literally", treeFile).Trim();
        var commit = Shell.Run("git", ["commit-tree", treeId, "-m", "unsafe"], repo.Dir, GitRepo.Env).Trim();

        using var mounted = new MountedCommit(repo.Dir, commit);
        var names = Directory.EnumerateFileSystemEntries(mounted.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { " ok", ".git-fs-commit-id", ".git-fs-tree-id", "safe" }, names);
        Assert.Equal("secret\n", File.ReadAllText(mounted.PathOf("safe")));
    }
}
