using System.Diagnostics;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;

using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.BootPath;

/// <summary>
/// `confirm` (the AOT binary) judging a running trial with real scripts: which transition each
/// outcome leads to, the hooks and their order, timeouts, and the reboot request.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class ConfirmSpecs
{
    private static TestMedium Trying() => new TestMedium().Initialize()
        .Fire(new Stage(TestMedium.Trial))
        .Fire(new BootObserved(TestMedium.Trial, "trial"));

    private static ProcessResult Confirm(TestMedium medium, HealthTree health, Revision running, params string[] extra) =>
        ProcessResult.Run(
            AotBinary.Path,
            ["confirm", "--medium", medium.Root, "--health-dir", health.Root, "--cmdline",
             medium.CommandLine(TestMedium.Boot(running, "trial")), "--reboot-command", health.RebootCommand, .. extra]);

    [HostFact("extlinux", "mkfs.ext4")]
    public void All_required_pass_promotes_the_trial_and_runs_green_hooks_in_order_despite_a_wanted_failure()
    {
        using var medium = Trying();
        using var health = new HealthTree()
            .Script("required.d", "20-browser", "exit 0")
            .Script("required.d", "10-network", "exit 0")
            .Script("wanted.d", "10-printer", "exit 7")
            .Script("green.d", "20-report", "exit 0")
            .Script("green.d", "10-led", "exit 3")
            .Script("red.d", "10-led", "exit 0");

        var result = Confirm(medium, health, TestMedium.Trial);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            ["required.d/10-network ", "required.d/20-browser ", "wanted.d/10-printer ", "green.d/10-led passed", "green.d/20-report passed"],
            health.Ran);
        Assert.Contains("warning only", result.Stdout, StringComparison.Ordinal);
        var record = medium.Record;
        Assert.Equal(SlotState.Stable, record.State);
        Assert.Equal(TestMedium.Trial, record.KnownGood);
        Assert.Equal(TestMedium.KnownGood, record.Previous);
        Assert.False(File.Exists(health.RebootMarker));
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void A_required_failure_rolls_back_runs_red_hooks_and_reboots()
    {
        using var medium = Trying();
        using var health = new HealthTree()
            .Script("required.d", "10-network", "exit 0")
            .Script("required.d", "20-browser", "echo no window; exit 5")
            .Script("green.d", "10-led", "exit 0")
            .Script("red.d", "10-led", "exit 0");

        var result = Confirm(medium, health, TestMedium.Trial);

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Equal(["required.d/10-network ", "required.d/20-browser ", "red.d/10-led failed"], health.Ran);
        Assert.Contains("[required.d/20-browser] no window", result.Stderr, StringComparison.Ordinal);
        var record = medium.Record;
        Assert.Equal(SlotState.RolledBack, record.State);
        Assert.Equal(TestMedium.KnownGood, record.KnownGood);
        var failed = Assert.Single(record.Failed);
        Assert.Contains("20-browser", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("exit code 5", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("20-browser", File.ReadAllText(health.RebootMarker), StringComparison.Ordinal);
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void A_script_that_hangs_is_killed_with_its_children_at_the_timeout_and_fails_the_trial()
    {
        using var medium = Trying();
        var pids = Path.Combine(Path.GetTempPath(), "bootpath-pids-" + Guid.NewGuid().ToString("N"));
        using var health = new HealthTree()
            .Script("required.d", "10-hangs", $"sleep 600 & echo $! > '{pids}'; sleep 600");

        var clock = Stopwatch.StartNew();
        var result = Confirm(medium, health, TestMedium.Trial, "--timeout", "1", "--no-reboot");
        clock.Stop();

        try
        {
            Assert.True(result.ExitCode == 4, result.ToString());
            Assert.Contains("timed out", result.Stdout, StringComparison.Ordinal);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
            var child = int.Parse(File.ReadAllText(pids).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(Alive(child), $"the script's child {child} survived the timeout");
            Assert.Equal(SlotState.RolledBack, medium.Record.State);
            Assert.Contains("timed out", Assert.Single(medium.Record.Failed).Reason, StringComparison.Ordinal);
            Assert.False(File.Exists(health.RebootMarker), "--no-reboot must not reboot");
        }
        finally
        {
            File.Delete(pids);
        }
    }

    /// <summary>Running or sleeping; a killed process may linger as a zombie until its new parent reaps it.</summary>
    private static bool Alive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        for (var i = 0; i < 50 && File.Exists(stat); i++)
        {
            try
            {
                var text = File.ReadAllText(stat);
                if (text[(text.LastIndexOf(')') + 2)..].StartsWith('Z'))
                {
                    return false;
                }
            }
            catch (IOException)
            {
                return false;
            }

            Thread.Sleep(100);
        }

        return File.Exists(stat);
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void In_stable_confirm_does_nothing_and_says_so()
    {
        using var medium = new TestMedium().Initialize();
        using var health = new HealthTree().Script("required.d", "10-fails", "exit 1");
        var generation = medium.Record.Generation;

        var result = Confirm(medium, health, TestMedium.KnownGood);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("nothing to confirm", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(health.Ran);
        Assert.Equal(generation, medium.Record.Generation);
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void When_the_running_revision_is_not_the_trial_confirm_does_nothing()
    {
        using var medium = Trying();
        using var health = new HealthTree().Script("required.d", "10-fails", "exit 1");

        var result = Confirm(medium, health, TestMedium.KnownGood);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("is not the trial", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(health.Ran);
        Assert.Equal(SlotState.Trying, medium.Record.State);
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void A_script_that_is_not_executable_is_skipped_with_a_warning()
    {
        using var medium = Trying();
        using var health = new HealthTree()
            .Script("required.d", "10-forgot-chmod", "exit 1", executable: false)
            .Script("required.d", "20-ok", "exit 0");

        var result = Confirm(medium, health, TestMedium.Trial);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["required.d/20-ok "], health.Ran);
        Assert.Contains("10-forgot-chmod is not executable", result.Stderr, StringComparison.Ordinal);
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void Mark_good_promotes_the_trial_and_is_refused_when_nothing_is_trying()
    {
        using var medium = Trying();

        var first = ProcessResult.Run(AotBinary.Path, ["mark-good", "--medium", medium.Root]);
        var second = ProcessResult.Run(AotBinary.Path, ["mark-good", "--medium", medium.Root]);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(TestMedium.Trial, medium.Record.KnownGood);
        Assert.True(second.ExitCode == 1, second.ToString());
        Assert.Contains("cannot take a health verdict", second.Stderr, StringComparison.Ordinal);
    }

    [HostFact("extlinux", "mkfs.ext4")]
    public void Mark_bad_rolls_back_with_the_operators_reason_and_reboots_only_when_asked()
    {
        using var medium = Trying();
        using var health = new HealthTree();

        var result = ProcessResult.Run(
            AotBinary.Path,
            ["mark-bad", "--medium", medium.Root, "--reason", "screen flickers", "--reboot", "--reboot-command", health.RebootCommand]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(SlotState.RolledBack, medium.Record.State);
        Assert.Contains("screen flickers", Assert.Single(medium.Record.Failed).Reason, StringComparison.Ordinal);
        Assert.Contains("screen flickers", File.ReadAllText(health.RebootMarker), StringComparison.Ordinal);
    }
}
