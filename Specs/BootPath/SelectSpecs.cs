using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;

using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.BootPath;

/// <summary>
/// `select` as the initramfs runs it: the NativeAOT webc-bootsafe-select against a medium's real state
/// files, for a matrix of kernel command lines and states. Exit codes: 0 mount, 1 nothing to mount,
/// 3 reboot. (<see cref="SelectBinarySpecs"/>: `webc-bootsafe select` does the same.)
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class SelectSpecs
{
    private static ProcessResult Select(TestMedium medium, string commandLine, params string[] extra) =>
        ProcessResult.Run(AotBinary.SelectPath, ["--medium", medium.Root, "--cmdline", medium.CommandLine(commandLine), .. extra]);

    [HostFact("extlinux", "mkfs.ext4")]
    public void Trial_first_boot_mounts_the_trial_and_counts_the_boot()
    {
        using var medium = new TestMedium().Initialize().Fire(new Stage(TestMedium.Trial));
        Assert.Equal("trial", medium.BootOnce);
        medium.ConsumeBootOnce();

        var result = Select(medium, TestMedium.Boot(TestMedium.Trial, "trial"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(TestMedium.Trial.Sha + "\n", result.Stdout);
        Assert.Null(medium.BootOnce);
        var record = medium.Record;
        Assert.Equal(SlotState.Trying, record.State);
        Assert.Equal(1, record.TrialBoots);
        Assert.Equal(new ObservedBoot(TestMedium.Trial, "trial", record.LastBoot!.At), record.LastBoot);
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void Trial_over_budget_disarms_boot_once_asks_for_a_reboot_and_prints_known_good()
    {
        // Boot-once was not consumed (the boot-time ADV write failed), so the trial came up again.
        using var medium = new TestMedium().Initialize()
            .Fire(new Stage(TestMedium.Trial))
            .Fire(new BootObserved(TestMedium.Trial, "trial"));
        Assert.Equal("trial", medium.BootOnce);

        var result = Select(medium, TestMedium.Boot(TestMedium.Trial, "trial"));

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal(TestMedium.KnownGood.Sha + "\n", result.Stdout);
        Assert.Contains("reboot", result.Stderr, StringComparison.Ordinal);
        var record = medium.Record;
        Assert.Equal(SlotState.RolledBack, record.State);
        Assert.Null(record.Trial);
        Assert.True(record.HasFailed(TestMedium.Trial));
        Assert.Null(medium.BootOnce);
        Assert.DoesNotContain("LABEL trial", File.ReadAllText(medium.Layout.ExtlinuxConfig), StringComparison.Ordinal);
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void Known_good_while_staged_with_attempts_left_mounts_known_good_and_stays_staged()
    {
        using var medium = new TestMedium().Initialize(maxTrialBoots: 2).Fire(new Stage(TestMedium.Trial)).ConsumeBootOnce();

        var result = Select(medium, TestMedium.Boot(TestMedium.KnownGood, "good"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(TestMedium.KnownGood.Sha + "\n", result.Stdout);
        var record = medium.Record;
        Assert.Equal(SlotState.Staged, record.State);
        Assert.Equal(TestMedium.Trial, record.Trial);
        Assert.Equal(1, record.TrialBoots);
        Assert.Equal("trial", medium.BootOnce);
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void Known_good_while_staged_with_attempts_used_rolls_back_without_a_reboot()
    {
        using var medium = new TestMedium().Initialize(maxTrialBoots: 1).Fire(new Stage(TestMedium.Trial)).ConsumeBootOnce();

        var result = Select(medium, TestMedium.Boot(TestMedium.KnownGood, "good"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(TestMedium.KnownGood.Sha + "\n", result.Stdout);
        Assert.Equal(SlotState.RolledBack, medium.Record.State);
        Assert.True(medium.Record.HasFailed(TestMedium.Trial));
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void Unknown_revision_is_mounted_and_only_recorded()
    {
        using var medium = new TestMedium().Initialize();
        var before = medium.Record;

        var result = Select(medium, TestMedium.Boot(TestMedium.Other, "debug"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(TestMedium.Other.Sha + "\n", result.Stdout);
        var record = medium.Record;
        Assert.Equal(SlotState.Stable, record.State);
        Assert.Equal(before.KnownGood, record.KnownGood);
        Assert.Equal(TestMedium.Other, record.LastBoot!.Revision);
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void A_failed_revision_that_boots_again_asks_for_a_reboot_into_known_good()
    {
        using var medium = new TestMedium().Initialize()
            .Fire(new Stage(TestMedium.Trial))
            .Fire(new BootObserved(TestMedium.Trial, "trial"))
            .Fire(new HealthFailed("browser did not start"));
        medium.Bootloader.BootOnce.Write("trial");

        var result = Select(medium, TestMedium.Boot(TestMedium.Trial, "trial"));

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal(TestMedium.KnownGood.Sha + "\n", result.Stdout);
        Assert.Null(medium.BootOnce);
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void Corrupt_state_boots_the_command_line_revision_says_why_and_changes_nothing()
    {
        using var medium = new TestMedium().Initialize();
        File.WriteAllText(medium.Layout.StateFile, "state: {{{ not yaml");
        var files = Directory.GetFiles(medium.Layout.BootSafe).Where(f => !f.EndsWith("/lock", StringComparison.Ordinal))
            .ToDictionary(f => f, File.ReadAllBytes);
        File.Delete(medium.Layout.PreviousStateFile);
        files.Remove(medium.Layout.PreviousStateFile);

        var result = Select(medium, TestMedium.Boot(TestMedium.Trial, "trial"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(TestMedium.Trial.Sha + "\n", result.Stdout);
        Assert.Contains("state.yaml", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("warning", result.Stderr, StringComparison.Ordinal);
        foreach (var (path, bytes) in files)
        {
            Assert.Equal(bytes, File.ReadAllBytes(path));
        }
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void Missing_state_boots_the_command_line_revision_and_says_why()
    {
        using var medium = new TestMedium();

        var result = Select(medium, TestMedium.Boot(TestMedium.Trial, "good"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(TestMedium.Trial.Sha + "\n", result.Stdout);
        Assert.Contains("never initialized", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(medium.Layout.BootSafe));
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void No_revision_and_no_state_fails_with_exit_1_and_prints_nothing()
    {
        using var medium = new TestMedium();

        var result = Select(medium, "boot=webc-bootsafe root=LABEL=webc-bootsafe quiet");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains("git-revision=", result.Stderr, StringComparison.Ordinal);
    }

    [HostTheory("extlinux", "mkfs.ext4")]
    [InlineData("boot=webc-bootsafe quiet")]
    [InlineData("boot=webc-bootsafe git-revision=abc123 quiet")]
    public void No_usable_revision_with_a_state_mounts_known_good(string commandLine)
    {
        using var medium = new TestMedium().Initialize();
        var generation = medium.Record.Generation;

        var result = Select(medium, commandLine);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(TestMedium.KnownGood.Sha + "\n", result.Stdout);
        Assert.Equal(generation, medium.Record.Generation);
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void The_last_git_revision_word_wins_as_in_the_kernel()
    {
        using var medium = new TestMedium().Initialize().Fire(new Stage(TestMedium.Trial)).ConsumeBootOnce();

        var result = Select(medium, TestMedium.Boot(TestMedium.KnownGood, "good") + $" git-revision={TestMedium.Trial.Sha} bootsafe.slot=trial");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(TestMedium.Trial.Sha + "\n", result.Stdout);
        Assert.Equal("trial", medium.Record.LastBoot!.Slot);
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void Json_reports_the_revision_the_reboot_and_the_reason()
    {
        using var medium = new TestMedium().Initialize()
            .Fire(new Stage(TestMedium.Trial))
            .Fire(new BootObserved(TestMedium.Trial, "trial"));

        var result = Select(medium, TestMedium.Boot(TestMedium.Trial, "trial"), "--json");

        Assert.True(result.ExitCode == 3, result.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(result.Stdout);
        Assert.Equal(TestMedium.KnownGood.Sha, json.RootElement.GetProperty("revision").GetString());
        Assert.True(json.RootElement.GetProperty("reboot").GetBoolean());
        Assert.Contains("budget", json.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}
