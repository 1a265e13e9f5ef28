using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Webc.BootSafe.Mount.Metadata;
using Webc.BootSafe.Mount.View;
using Webc.BootSafe.Updates.Publish;

namespace Webc.BootSafe.Specs.Publish;

/// <summary>
/// Fast tier: the metadata file commit-root writes, read back by the one reader and applied the way
/// the view applies it, gives every generated entry its owner, group, mode, device and capability.
/// </summary>
public sealed class MetadataWriterProperties
{
    private static readonly AccountNames NoAccounts = new(null, null);

    [Fact]
    public void Written_metadata_read_back_restores_every_entry()
    {
        Prop.ForAll(GeneratedRoot.Tree().ToArbitrary(), items =>
        {
            var entries = items.Select(i => i.Entry).ToList();
            var yaml = MetadataWriter.Write(entries);
            var rules = yaml is null ? MetadataRules.Empty : MetadataRules.Parse(yaml, NoAccounts);
            var held = entries.Where(e => e.InGit).SelectMany(e => Ancestors(e.Path)).ToHashSet(StringComparer.Ordinal);
            var devices = rules.Devices.ToDictionary(d => d.Path, StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                var viewPath = Latin1(entry.Path);
                var kind = entry.Type switch
                {
                    RootEntryType.Directory => NodeKind.Directory,
                    RootEntryType.File => NodeKind.File,
                    RootEntryType.Symlink => NodeKind.Symlink,
                    _ => NodeKind.Device,
                };
                var node = new Node { Kind = kind, Path = viewPath, Name = viewPath, Permissions = kind == NodeKind.Device ? 0x180 : entry.ServedPermissions };
                rules.Apply(node);
                Assert.Equal((entry.Uid, entry.Gid), (node.Uid, node.Gid));
                Assert.Equal(entry.Type == RootEntryType.Symlink ? 0x1FF : entry.Permissions, node.Permissions);
                Assert.Equal(entry.Capability, node.Capability);
                switch (entry.Type)
                {
                    case RootEntryType.Directory:
                        Assert.Equal(!held.Contains(entry.Path), rules.Directories.Contains(viewPath));
                        break;
                    case RootEntryType.CharDevice or RootEntryType.BlockDevice or RootEntryType.Fifo:
                        var device = devices[viewPath];
                        var expected = entry.Type switch
                        {
                            RootEntryType.CharDevice => new MetadataDevice(viewPath, MetadataDevice.CharType, entry.Major, entry.Minor),
                            RootEntryType.BlockDevice => new MetadataDevice(viewPath, MetadataDevice.BlockType, entry.Major, entry.Minor),
                            _ => new MetadataDevice(viewPath, MetadataDevice.FifoType, 0, 0),
                        };
                        Assert.Equal(expected, device);
                        break;
                }
            }

            Assert.Equal(entries.Count(e => e.Type is RootEntryType.CharDevice or RootEntryType.BlockDevice or RootEntryType.Fifo), rules.Devices.Count);
            Assert.Equal(
                devices.Count > 0 || entries.Any(e => e.Capability is not null) ? "version: 2" : "version: 1",
                yaml?.Split('\n').First(l => l.StartsWith("version", StringComparison.Ordinal)) ?? "version: 1");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void A_root_git_serves_right_needs_no_metadata_file()
    {
        Assert.Null(MetadataWriter.Write([
            new RootEntry("bin", RootEntryType.Directory, 0, 0, 0x1ED),
            new RootEntry("bin/sh", RootEntryType.File, 0, 0, 0x1ED),
            new RootEntry("etc/motd", RootEntryType.File, 0, 0, 0x1A4),
            new RootEntry("sh", RootEntryType.Symlink, 0, 0, 0x1FF),
        ]));
    }

    [Theory]
    [InlineData("version: 1\ndevices:\n  - path: dev/null\n    device: char 1 3\n", "version: 2")]
    [InlineData("version: 1\nrules:\n  - path: bin/ping\n    capability: \"0000\"\n", "version: 2")]
    [InlineData("version: 2\ndevices:\n  - path: dev/null\n    device: pipe 1 3\n", "device 'pipe 1 3'")]
    [InlineData("version: 2\ndevices:\n  - path: \"dev/*\"\n    device: fifo\n", "glob")]
    [InlineData("version: 2\nrules:\n  - path: bin/ping\n    capability: \"xyz\"\n", "not a non-empty hex")]
    [InlineData("version: 2\ndirectories:\n  - path: tmp\n    device: fifo\n", "devices list")]
    [InlineData("version: 3\n", "version 3 is not supported")]
    public void Version_2_content_is_checked(string yaml, string detail)
    {
        var e = Assert.Throws<Webc.BootSafe.Medium.Errors.BadInputException>(() => MetadataRules.Parse(yaml, NoAccounts));
        Assert.Contains(detail, e.Message);
    }

    [Fact]
    public void Names_fetch_would_refuse_and_a_missing_kernel_pair_are_listed_together()
    {
        var refusals = CommitRoot.Refusals([
            new RootEntry(".GIT", RootEntryType.Directory, 0, 0, 0x1ED),
            new RootEntry(".GIT/x", RootEntryType.File, 0, 0, 0x1A4),
            new RootEntry("tmp*", RootEntryType.Directory, 0, 0, 0x3FF),
            new RootEntry("boot", RootEntryType.Directory, 0, 0, 0x1ED),
            new RootEntry("boot/vmlinuz-1", RootEntryType.File, 0, 0, 0x1A4),
            new RootEntry("boot/vmlinuz-2", RootEntryType.File, 0, 0, 0x1A4),
            new RootEntry("boot/initrd.img-1", RootEntryType.File, 0, 0, 0x1A4),
        ]).ToList();
        Assert.Contains(refusals, r => r.StartsWith(".GIT:", StringComparison.Ordinal));
        Assert.Contains(refusals, r => r.StartsWith("tmp*:", StringComparison.Ordinal) && r.Contains("glob", StringComparison.Ordinal));
        Assert.Contains(refusals, r => r.Contains("vmlinuz-1, vmlinuz-2", StringComparison.Ordinal));
        Assert.Equal(3, refusals.Count);
    }

    private static string Latin1(string text) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
        {
            yield return path[..slash];
        }
    }
}
