using System.Security.Cryptography;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Fetch.Support;

/// <summary>A boot medium whose repository was cloned (full history) from upstream at its current tip.</summary>
public sealed class TestMedium
{
    public TestMedium(string root, Upstream upstream, string config)
    {
        Layout = new MediumLayout(root);
        Directory.CreateDirectory(Layout.BootSafe);
        Proc.Run("git", ["clone", "-q", "--bare", "--no-hardlinks", upstream.Path, Layout.Repository]);
        var head = Proc.Run("git", ["rev-parse", "HEAD"], Layout.Repository);
        Proc.Run("git", ["update-ref", "refs/bootsafe/known-good", head], Layout.Repository);
        Record = SlotRecord.Initial(Revision.Parse(head));
        File.WriteAllText(Layout.ConfigFile, config);
    }

    /// <summary>A medium prepared by the caller (e.g. on a loop-mounted image).</summary>
    public TestMedium(MediumLayout layout)
    {
        Layout = layout;
        Record = new YamlSlotStore(new PosixMediumStorage(), layout).Load().Record;
    }

    public MediumLayout Layout { get; }

    public SlotRecord Record { get; set; }

    public BootParameters Parameters(string? procCmdline = null) =>
        BootParameterReader.Read(Layout, WriteCmdline(procCmdline ?? ""));

    public string Ref(string name) => Proc.Run("git", ["for-each-ref", "--format=%(objectname)", name], Layout.Repository);

    public bool Has(string sha) => Proc.Run("git", ["cat-file", "-t", sha + "^{commit}"], Layout.Repository) is "commit";

    public bool Lacks(string sha)
    {
        try
        {
            return !Has(sha);
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    /// <summary>Every file and directory under the medium with its content hash: "unchanged" means equal.</summary>
    public SortedDictionary<string, string> Snapshot()
    {
        var all = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Directory.EnumerateFileSystemEntries(Layout.Root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Layout.Root, entry);
            all[relative] = File.Exists(entry) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry))) : "dir";
        }

        return all;
    }

    private string WriteCmdline(string text)
    {
        var path = Path.Combine(Path.GetDirectoryName(Layout.Root)!, Path.GetFileName(Layout.Root) + ".cmdline");
        File.WriteAllText(path, text);
        return path;
    }
}

public static class SnapshotAssert
{
    /// <summary>Equal snapshots, or a failure naming the paths that differ.</summary>
    public static void Unchanged(SortedDictionary<string, string> before, SortedDictionary<string, string> after)
    {
        var differ = before.Keys.Union(after.Keys)
            .Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k))
            .ToList();
        Assert.True(differ.Count == 0, "changed on the medium: " + string.Join(", ", differ));
    }
}
