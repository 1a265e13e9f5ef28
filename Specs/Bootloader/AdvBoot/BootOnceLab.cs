using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Bootloader.AdvBootSpecs;

/// <summary>
/// A disk with Debian's cloud kernel under two revisions, good (its initrd prints BOOTED-good and
/// powers off) and trial (initrd chosen by the spec), whose extlinux.conf and ADV are written by
/// our code on the loop-mounted partition, then booted under QEMU.
/// </summary>
public sealed class BootOnceLab : IDisposable
{
    public static readonly Revision Good = Revision.Parse(new string('a', 40));
    public static readonly Revision Trial = Revision.Parse(new string('b', 40));

    private readonly TempDirectory work = new("bootsafe-qemu");
    private int boots;

    public BootOnceLab(InitrdEnd trialEnd)
    {
        try
        {
            Assert.True(File.Exists(RepoPaths.Kernel), $"no kernel at {RepoPaths.Kernel}: run `make deps` (lab/fetch-kernel.sh)");
            Disk = Build(trialEnd);
        }
        catch
        {
            work.Dispose();
            throw;
        }
    }

    public ExtlinuxDisk Disk { get; }

    private ExtlinuxDisk Build(InitrdEnd trialEnd)
    {
        var live = Directory.CreateDirectory(work.Combine("payload", "live")).FullName;
        var goodKernel = Path.Combine(live, "vmlinuz-" + Good.Sha);
        File.Copy(RepoPaths.Kernel, goodKernel);
        Run.Command("ln", goodKernel, Path.Combine(live, "vmlinuz-" + Trial.Sha));
        BusyboxInitrd.Build(Path.Combine(live, "initrd-" + Good.Sha), "good");
        BusyboxInitrd.Build(Path.Combine(live, "initrd-" + Trial.Sha), "trial", trialEnd);
        return ExtlinuxDisk.Build(work.Combine("disk.img"), work.Combine("payload"));
    }

    /// <summary>Writes extlinux.conf (good, trial) through the Extlinux generator and BOOTONCE through our ADV writer.</summary>
    public void Arm(string? bootOnce, Func<Adv, Adv>? alsoChange = null)
    {
        using var mount = Disk.Mount();
        var storage = new PosixMediumStorage();
        var layout = new MediumLayout(mount.Root);
        new ExtlinuxConfigFile(layout, storage).Write(
            new BootEntries(Good, Trial),
            new BootEntryOptions("console=ttyS0,115200 panic=1 quiet", serial: "0 115200", timeoutTenths: 10));
        new ExtlinuxAdvFile(layout.ExtlinuxDirectory, storage).Update(adv => (alsoChange ?? (a => a))(adv).WithBootOnce(bootOnce));
    }

    /// <summary>The ADV as our reader sees it after the VM ran (ldlinux rewrites it at boot).</summary>
    public AdvReadResult ReadAdv()
    {
        using var mount = Disk.Mount();
        return new ExtlinuxAdvFile(new MediumLayout(mount.Root).ExtlinuxDirectory, new PosixMediumStorage()).Read();
    }

    public SerialConsole Boot() => QemuVm.Boot(Disk.Image, work.Combine($"console-{++boots}.log"));

    public void Dispose() => work.Dispose();
}
