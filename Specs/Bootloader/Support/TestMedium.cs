using Webc.BootSafe.Bootloader.Applying;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Bootloader.Kernels;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.StateMachine.Storage;

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
        Driver = new SlotDriver(Store, Applier, () => DateTimeOffset.UnixEpoch);
        Stager = new Stager(Store, Kernels, Driver);
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

    public SlotDriver Driver { get; }

    public Stager Stager { get; }

    /// <summary>Index in the log of the first entry containing <paramref name="text"/>.</summary>
    public int At(string text)
    {
        var i = Log.FindIndex(l => l.Contains(text, StringComparison.Ordinal));
        Assert.True(i >= 0, $"'{text}' not in log:\n{string.Join('\n', Log)}");
        return i;
    }
}
