using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Specs.Bootloader;

public sealed class BootloaderApplierSpecs
{
    private static readonly Revision Good = Revisions.Of(1);
    private static readonly Revision Trial = Revisions.Of(2);

    [Fact]
    public void Stage_writes_kernel_files_then_the_trial_label_then_the_state_then_arms_boot_once()
    {
        var m = new TestMedium(Good);

        m.Stage(Trial, "k2"u8, "i2"u8);

        var files = m.At("rename /medium/live/.initrd-" + Trial.Sha);
        var dirSync = m.Log.FindIndex(files, l => l == "fsync-dir /medium/live");
        var config = m.At("rename /medium/boot/extlinux/.extlinux.conf.tmp");
        var commit = m.At("commit Staged");
        var arm = m.At("bootonce trial");
        Assert.True(files < dirSync && dirSync < config && config < commit && commit < arm, string.Join('\n', m.Log));
        Assert.Equal(Trial.Sha, m.Config.Read().Find("trial")!.Parameter("git-revision"));
        Assert.Equal(SlotState.Staged, m.Store.Record.State);
    }

    [Fact]
    public void Promotion_disarms_first_then_rewrites_the_config_then_commits_then_prunes()
    {
        var m = new TestMedium(Good);
        var older = Revisions.Of(0);
        m.Kernels.Install(older, "k0"u8, "i0"u8);
        m.Store.Initialize(SlotRecord.Initial(Good) with { Previous = older }, DateTimeOffset.UnixEpoch);
        m.Stage(Trial, "k2"u8, "i2"u8);
        m.Fire(new BootObserved(Trial, "trial"));
        m.BootOnce.Write("trial"); // as if the boot-time ADV write had failed: the disarm must clear it
        m.Log.Clear();

        var applied = m.Fire(new HealthPassed());

        var disarm = m.At("bootonce -");
        var config = m.At("rename /medium/boot/extlinux/.extlinux.conf.tmp");
        var commit = m.At("commit Stable");
        var prune = m.At("unlink /medium/live/vmlinuz-" + older.Sha);
        Assert.True(disarm < config && config < commit && commit < prune, string.Join('\n', m.Log));
        var conf = m.Config.Read();
        Assert.Equal(Trial.Sha, conf.Find("good")!.Parameter("git-revision"));
        Assert.Equal(Good.Sha, conf.Find("previous")!.Parameter("git-revision"));
        Assert.Null(conf.Find("trial"));
        Assert.Null(applied.RebootReason);
    }

    [Fact]
    public void A_failed_health_check_rolls_back_disarmed_with_the_config_before_the_state_and_asks_for_a_reboot()
    {
        var m = new TestMedium(Good);
        m.Stage(Trial, "k2"u8, "i2"u8);
        m.Fire(new BootObserved(Trial, "trial"));
        m.Log.Clear();

        var applied = m.Fire(new HealthFailed("kiosk page did not load"));

        Assert.True(m.At("rename /medium/boot/extlinux/.extlinux.conf.tmp") < m.At("commit RolledBack"));
        Assert.True(m.At("commit RolledBack") < m.At("unlink /medium/live/vmlinuz-" + Trial.Sha));
        Assert.Null(m.Config.Read().Find("trial"));
        Assert.False(m.Kernels.Exist(Trial));
        Assert.Contains("kiosk page", applied.RebootReason);
    }

    [Fact]
    public void A_refused_stage_leaves_the_medium_as_it_was()
    {
        var m = new TestMedium(Good);

        Assert.Throws<TransitionRefusedException>(() => m.Stage(Good, "k"u8, "i"u8));

        Assert.Empty(m.Log);
    }

    [Fact]
    public void A_label_whose_kernel_is_missing_is_never_written()
    {
        var m = new TestMedium(Good);
        var before = m.Config.ReadText();

        Assert.ThrowsAny<Exception>(() => m.Fire(new Stage(Trial)));

        Assert.Equal(before, m.Config.ReadText());
        Assert.Equal(SlotState.Stable, m.Store.Record.State);
        Assert.Null(m.BootOnce.Value);
    }
}
