using FsCheck;
using FsCheck.Fluent;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Mount.Metadata;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.Specs.Mount.Support;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.Updates.Publish;

namespace Webc.BootSafe.Specs.Publish;

/// <summary>
/// Host tier (root, FUSE): a generated root made on disk (mknod, lchown, chmod, setxattr of
/// security.capability), committed with commit-root and mounted with git-fs, shows the same types,
/// owners, modes, devices, link targets, contents and capabilities as the source.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CommitRootRoundTripSpecs
{
    [HostFact("fusermount3", "mknod")]
    public void A_generated_root_round_trips_through_commit_root_and_git_fs()
    {
        using var dir = new TempDirectory("commit-root");
        var signers = new Signers(dir.Sub("keys"), "release");
        var repo = dir.Sub("release.git");
        Shell.Run("git", ["init", "-q", "--bare", repo], null);
        var run = 0;
        Prop.ForAll(GeneratedRoot.Tree().ToArbitrary(), items =>
        {
            var source = dir.Sub($"root-{run++}");
            Materialise(source, items);
            var result = CommitRoot.Run(new CommitRootRequest(source, repo, "main", signers.SshKey));
            using var mounted = new MountedCommit(repo, result.Commit);
            var paths = items.Select(i => i.Entry.Path).ToList();
            Assert.Empty(RootComparison.Differences(source, mounted.Root, paths));
            var extra = RootComparison.Walk(mounted.Root).Except(paths)
                .Except([".git-fs-commit-id", ".git-fs-tree-id", ".bootsafe", MetadataRules.FilePath]).ToList();
            Assert.Empty(extra);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(12));
    }

    /// <summary>Makes the generated tree as root: content first, then owners, then modes (chown clears setuid), then capabilities (chown clears them too).</summary>
    public static void Materialise(string root, List<GeneratedRoot.Item> items)
    {
        foreach (var item in items)
        {
            var full = Path.Combine(root, item.Entry.Path);
            switch (item.Entry.Type)
            {
                case RootEntryType.Directory:
                    Directory.CreateDirectory(full);
                    break;
                case RootEntryType.File:
                    File.WriteAllBytes(full, item.Content);
                    break;
                case RootEntryType.Symlink:
                    File.CreateSymbolicLink(full, item.LinkTarget);
                    break;
                case RootEntryType.CharDevice:
                    Libc.Mknod(full, 0x2000 | 0x180, item.Entry.Major, item.Entry.Minor);
                    break;
                case RootEntryType.BlockDevice:
                    Libc.Mknod(full, 0x6000 | 0x180, item.Entry.Major, item.Entry.Minor);
                    break;
                case RootEntryType.Fifo:
                    Libc.Mknod(full, 0x1000 | 0x180, 0, 0);
                    break;
            }
        }

        foreach (var item in Enumerable.Reverse(items))
        {
            var full = Path.Combine(root, item.Entry.Path);
            Libc.LChown(full, item.Entry.Uid, item.Entry.Gid);
            if (item.Entry.Type != RootEntryType.Symlink)
            {
                File.SetUnixFileMode(full, (UnixFileMode)item.Entry.Permissions);
            }

            if (item.Entry.Capability is { } capability)
            {
                Libc.SetXattr(full, RootComparison.Capability, capability);
            }
        }
    }
}
