using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Bootloader.AdvBootSpecs;

/// <summary>
/// Real boots (QEMU TCG, syslinux 6.04 from the disk's MBR) of an extlinux.conf and ADV our code
/// wrote: the boot-once contract BootSafe's trial slot relies on.
/// </summary>
[Trait(Tier.Name, Tier.Lab)]
[Collection(MachineCollection.Name)]
public sealed class BootOnceQemuSpecs
{
    [LabFact]
    public void An_armed_trial_boots_once_and_the_next_boot_is_good()
    {
        using var lab = new BootOnceLab(InitrdEnd.Reboot);
        lab.Arm("trial", adv => adv.WithMenuSave("good").With(77, [7, 7]));

        var console = lab.Boot();

        Assert.True(console.PoweredOff, console.ToString());
        Assert.Equal(["BOOTED-trial", "BOOTED-good"], console.Events);
        Assert.Contains($"git-revision={BootOnceLab.Trial.Sha} bootsafe.slot=trial", console.CommandLineOf("trial"));
        Assert.Contains($"git-revision={BootOnceLab.Good.Sha} bootsafe.slot=good", console.CommandLineOf("good"));
        // ldlinux deleted BOOTONCE before loading the trial kernel and kept the other records.
        var adv = lab.ReadAdv();
        Assert.Equal((AdvCopyStatus.Valid, AdvCopyStatus.Valid), (adv.Copy0, adv.Copy1));
        Assert.Equal(Adv.Empty.WithMenuSave("good").With(77, [7, 7]), adv.Adv);
    }

    [LabFact]
    public void A_trial_kernel_that_panics_falls_back_to_good_in_the_same_run()
    {
        using var lab = new BootOnceLab(InitrdEnd.Panic);
        lab.Arm("trial");

        var console = lab.Boot();

        Assert.True(console.PoweredOff, console.ToString());
        Assert.Equal(["PANIC", "BOOTED-good"], console.Events);
        Assert.Null(lab.ReadAdv().Adv.BootOnce);
    }

    [LabFact]
    public void A_once_naming_a_missing_label_boots_good_without_hanging()
    {
        using var lab = new BootOnceLab(InitrdEnd.PowerOff);
        lab.Arm("missing");

        var console = lab.Boot();

        Assert.True(console.PoweredOff, console.ToString());
        Assert.Equal(["BOOTED-good"], console.Events);
        Assert.Null(lab.ReadAdv().Adv.BootOnce);
    }
}
