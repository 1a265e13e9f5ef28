using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.StateMachine.Machine;

namespace Webc.BootSafe.Specs.BootPath;

/// <summary>
/// dist/systemd/reboot-policy, as webc-bootsafe-fetch.service runs it after staging: when a staged
/// trial gets its reboot. The reboot and the scheduler are replaced by commands that leave markers.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class RebootPolicySpecs
{
    private static readonly string Script = Path.Combine(RepoPaths.Root, "dist", "systemd", "reboot-policy");

    private static (ProcessResult Result, string? Rebooted, string? Scheduled) Run(bool staged, string policy, string now)
    {
        using var medium = new TestMedium().Initialize();
        if (staged)
        {
            medium.Fire(new Stage(TestMedium.Trial));
        }

        var reboot = Path.Combine(medium.Root, "rebooted");
        var schedule = Path.Combine(medium.Root, "scheduled");
        var result = ProcessResult.Run("/bin/sh", [Script], new Dictionary<string, string>
        {
            ["WEBC_BOOTSAFE"] = AotBinary.Path,
            ["WEBC_BOOTSAFE_MEDIUM"] = medium.Root,
            ["REBOOT_POLICY"] = policy,
            ["WEBC_BOOTSAFE_NOW"] = now,
            ["WEBC_BOOTSAFE_REBOOT_COMMAND"] = $"touch '{reboot}'",
            ["WEBC_BOOTSAFE_SCHEDULE_COMMAND"] = $"echo > '{schedule}'",
        });
        return (result, File.Exists(reboot) ? "yes" : null, File.Exists(schedule) ? File.ReadAllText(schedule).Trim() : null);
    }

    [HostTheory("extlinux", "mkfs.ext4")]
    [InlineData("next-boot", "12:00", false, null)]
    [InlineData("immediate", "12:00", true, null)]
    [InlineData("02:00-04:00", "03:10", true, null)]
    [InlineData("02:00-04:00", "04:00", false, "02:00:00")]
    [InlineData("02:00-04:00", "01:59", false, "02:00:00")]
    [InlineData("23:00-05:00", "23:30", true, null)]
    [InlineData("23:00-05:00", "00:15", true, null)]
    [InlineData("23:00-05:00", "12:00", false, "23:00:00")]
    public void A_staged_trial_reboots_now_at_the_window_or_at_the_next_boot(string policy, string now, bool rebootsNow, string? scheduledAt)
    {
        var (result, rebooted, scheduled) = Run(staged: true, policy, now);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(rebootsNow, rebooted is not null);
        Assert.Equal(scheduledAt, scheduled?.Split(' ')[0]);
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void Without_a_staged_trial_nothing_happens()
    {
        var (result, rebooted, scheduled) = Run(staged: false, "immediate", "12:00");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("no trial waiting", result.Stdout, StringComparison.Ordinal);
        Assert.Null(rebooted);
        Assert.Null(scheduled);
    }

    [HostTheory("extlinux", "mkfs.ext4")]
    [InlineData("sometimes")]
    [InlineData("25:00-26:00")]
    public void An_unknown_policy_is_refused_with_exit_2(string policy)
    {
        var (result, rebooted, _) = Run(staged: true, policy, "12:00");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("REBOOT_POLICY", result.Stderr, StringComparison.Ordinal);
        Assert.Null(rebooted);
    }
}
