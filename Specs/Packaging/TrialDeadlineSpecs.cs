using Webc.BootSafe.Specs.BootPath;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Packaging;

/// <summary>
/// dist/systemd/trial-deadline, as webc-bootsafe-trial-deadline.service runs it on a trial boot:
/// after TRIAL_BOOT_TIMEOUT it reboots unless boot-complete.target is active. systemctl and the
/// reboot are replaced by commands (true/false for is-active; a marker for the reboot).
/// </summary>
public sealed class TrialDeadlineSpecs
{
    private static readonly string Script = Path.Combine(RepoPaths.Root, "dist", "systemd", "trial-deadline");

    private static (ProcessResult Result, bool Rebooted) Run(string timeout, bool bootComplete)
    {
        using var work = new TempDirectory("trial-deadline");
        var marker = work.Combine("rebooted");
        var result = ProcessResult.Run("/bin/sh", [Script], new Dictionary<string, string>
        {
            ["TRIAL_BOOT_TIMEOUT"] = timeout,
            ["WEBC_BOOTSAFE_SYSTEMCTL"] = bootComplete ? "true" : "false",
            ["WEBC_BOOTSAFE_REBOOT_COMMAND"] = $"touch '{marker}'",
        });
        return (result, File.Exists(marker));
    }

    [Fact]
    public void A_trial_that_has_not_reached_boot_complete_at_the_deadline_is_rebooted_with_an_error_line()
    {
        var (result, rebooted) = Run("1", bootComplete: false);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(rebooted, result.ToString());
        Assert.Contains("<3>trial-deadline: boot-complete.target not reached within 1 s", result.Stderr);
    }

    [Fact]
    public void A_trial_that_reached_boot_complete_is_left_alone()
    {
        var (result, rebooted) = Run("0", bootComplete: true);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(rebooted, result.ToString());
    }

    [Theory]
    [InlineData("ten")]
    [InlineData("10m")]
    public void A_timeout_that_is_not_whole_seconds_is_refused_without_a_reboot(string timeout)
    {
        var (result, rebooted) = Run(timeout, bootComplete: false);

        Assert.Equal(2, result.ExitCode);
        Assert.False(rebooted);
        Assert.Contains("TRIAL_BOOT_TIMEOUT", result.Stderr);
    }
}
