using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.Updates.Session;
using Webc.BootSafe.Updates.Staging;
using Webc.BootSafe.Bootloader.Applying;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Bootloader.Kernels;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Bootloader.Support;

/// <summary>A medium in memory with a good revision installed and every write logged in order.</summary>
public sealed class TestMedium
{
    public TestMedium(Revision good)
    {
        Storage.AfterWrite = Log.Add;
        Store = new MemorySlotStore(SlotRecord.Initial(good), Log.Add);
        BootOnce = new MemoryBootOnce(Log.Add);
        Kernels.Install(good, "kernel"u8, "initrd"u8);
        Applier = new BootloaderApplier(Layout, Storage, BootOnce, new BootEntryOptions());
        Config.Write(new BootEntries(good), new BootEntryOptions());
        Log.Clear();
    }

    public MediumLayout Layout { get; } = new("/medium");

    public RecordingMediumStorage Storage { get; } = new();

    public List<string> Log { get; } = [];

    public MemorySlotStore Store { get; }

    public MemoryBootOnce BootOnce { get; }

    public KernelFiles Kernels => new(Layout, Storage);

    public ExtlinuxConfigFile Config => new(Layout, Storage);

    public BootloaderApplier Applier { get; }

    /// <summary>Fires through a fresh session over the in-memory store (the production path, without the lock).</summary>
    public Outcome Fire(SlotEvent e) => MediumSession.Over(Store, Applier).Fire(e, DateTimeOffset.UnixEpoch);

    public Outcome Stage(Revision revision, ReadOnlySpan<byte> kernel, ReadOnlySpan<byte> initrd) =>
        new StageRevision(MediumSession.Over(Store, Applier))
            .Stage(revision, new KernelImages(kernel.ToArray(), initrd.ToArray()), force: false, DateTimeOffset.UnixEpoch);

    /// <summary>Index in the log of the first entry containing <paramref name="text"/>.</summary>
    public int At(string text)
    {
        var i = Log.FindIndex(l => l.Contains(text, StringComparison.Ordinal));
        Assert.True(i >= 0, $"'{text}' not in log:\n{string.Join('\n', Log)}");
        return i;
    }
}
