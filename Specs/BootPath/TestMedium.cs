using Webc.BootSafe.Updates.Session;
using Webc.BootSafe.Bootloader;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.BootPath;

/// <summary>
/// A medium directory in a unique temp dir: a real installed ldlinux.sys (so the ADV is real),
/// kernel files for three revisions, and the slot state written by the real store and advanced by
/// the real machine through the real bootloader applier, for the boot-path commands to run against.
/// </summary>
public sealed class TestMedium : IDisposable
{
    public static readonly Revision KnownGood = Revision.Parse(new string('a', 40));
    public static readonly Revision Trial = Revision.Parse(new string('b', 40));
    public static readonly Revision Other = Revision.Parse(new string('c', 40));

    private static readonly DateTimeOffset Start = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

    public TestMedium()
    {
        Root = Directory.CreateTempSubdirectory("bootpath-medium-").FullName;
        Layout = new MediumLayout(Root);
        Directory.CreateDirectory(Layout.Live);
        Directory.CreateDirectory(Layout.ExtlinuxDirectory);
        File.WriteAllBytes(Path.Combine(Layout.ExtlinuxDirectory, "ldlinux.sys"), InstalledLdlinux.Bytes);
        foreach (var revision in new[] { KnownGood, Trial, Other })
        {
            Bootloader.Kernels.Install(revision, [1, 2, 3], [4, 5, 6]);
        }
    }

    public static BootEntryOptions Options { get; } = new("boot=webc-bootsafe root=LABEL=webc-bootsafe");

    public MediumBootloader Bootloader => new(Layout, new PosixMediumStorage(), Options);

    /// <summary>The ADV's BOOTONCE as ldlinux would see it at the next boot.</summary>
    public string? BootOnce => Bootloader.BootOnce.Read();

    public string Root { get; }

    public MediumLayout Layout { get; }

    public YamlSlotStore Store => new(new PosixMediumStorage(), Layout);

    public SlotRecord Record => Store.Load().Record;

    public TestMedium Initialize(int maxTrialBoots = SlotRecord.DefaultMaxTrialBoots)
    {
        Store.Initialize(SlotRecord.Initial(KnownGood, maxTrialBoots), Start);
        Bootloader.Config.Write(new BootEntries(KnownGood), Options);
        return this;
    }

    public TestMedium Fire(SlotEvent e)
    {
        var record = Record;
        MediumSession.Over(Store, Bootloader.Applier).Fire(e, Start.AddMinutes(record.Generation));
        return this;
    }

    /// <summary>What ldlinux does before it loads the kernel: read BOOTONCE and delete it.</summary>
    public TestMedium ConsumeBootOnce()
    {
        Bootloader.BootOnce.Write(null);
        return this;
    }

    public string CommandLine(string text)
    {
        var path = Path.Combine(Root, "cmdline-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, text + "\n");
        return path;
    }

    public static string Boot(Revision revision, string slot) =>
        $"BOOT_IMAGE=/live/vmlinuz-{revision.Sha} boot=webc-bootsafe root=LABEL=webc-bootsafe git-revision={revision.Sha} bootsafe.slot={slot} quiet";

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
