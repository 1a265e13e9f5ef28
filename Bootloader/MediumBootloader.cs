using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Bootloader.Applying;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Bootloader.Kernels;
using Webc.BootSafe.Bootloader.Simulation;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Bootloader;

/// <summary>
/// The bootloader side of one medium, wired once: extlinux.conf, kernel files, the ADV and the applier.
/// Options not given are read back from the medium's managed block, else the defaults.
/// </summary>
public sealed class MediumBootloader
{
    public MediumBootloader(MediumLayout layout, IMediumStorage storage, BootEntryOptions? options = null, IFileSystemProbe? fileSystems = null)
    {
        Layout = layout;
        Storage = storage;
        Config = new ExtlinuxConfigFile(layout, storage);
        Kernels = new KernelFiles(layout, storage);
        Adv = new ExtlinuxAdvFile(layout.ExtlinuxDirectory, storage, fileSystems ?? StatfsProbe.Instance);
        BootOnce = new AdvBootOnce(Adv);
        Options = options ?? BootEntryOptionsReader.FromFile(Config);
        Applier = new BootloaderApplier(layout, storage, BootOnce, Options);
    }

    public MediumLayout Layout { get; }

    public IMediumStorage Storage { get; }

    public ExtlinuxConfigFile Config { get; }

    public KernelFiles Kernels { get; }

    public ExtlinuxAdvFile Adv { get; }

    public IBootOnce BootOnce { get; }

    public BootEntryOptions Options { get; }

    public BootloaderApplier Applier { get; }

    public Ldlinux Ldlinux => new(Layout, Storage);

    public BootForecast Forecast => new(Layout, Storage);
}
