using System.Globalization;
using System.Text.RegularExpressions;
using Webc.BootSafe.Specs.BootPath;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Packaging;

/// <summary>
/// The systemd units as systemd itself judges them: <c>systemd-analyze security --offline=true</c>
/// exposure within the limits of issue 16 (fetch parses network data as root: at most 3.0; confirm
/// runs the integrator's checks: at most 5.0), and the health verdict ordered before
/// boot-complete.target, which requires it (systemd.special(7)).
/// </summary>
[Trait(Tier.Name, Tier.Host)]
public sealed partial class UnitHardeningSpecs
{
    private static string Unit(string name) => Path.Combine(RepoPaths.Root, "dist", "systemd", name);

    [HostTheory]
    [InlineData("webc-bootsafe-fetch.service", 3.0)]
    [InlineData("webc-bootsafe-check.service", 5.0)]
    [InlineData("webc-bootsafe-confirm.service", 5.0)]
    [InlineData("webc-bootsafe-rollback.service", 5.0)]
    [InlineData("webc-bootsafe-trial-deadline.service", 3.0)]
    public void Systemd_rates_the_service_within_its_exposure_limit(string unit, double limit)
    {
        var result = ProcessResult.Run("systemd-analyze", ["security", "--offline=true", "--no-pager", Unit(unit)]);

        var match = ExposureLine().Match(result.Stdout + result.Stderr);
        Assert.True(match.Success, "no 'Overall exposure level' line:\n" + result);
        Assert.Equal(unit, match.Groups["unit"].Value);
        var exposure = double.Parse(match.Groups["level"].Value, CultureInfo.InvariantCulture);
        Assert.True(exposure <= limit, $"{unit}: exposure {exposure} > {limit}\n{result.Stdout}");
    }

    [HostFact]
    public void The_checks_run_before_boot_complete_which_requires_them_and_the_verdict_after_it()
    {
        var check = File.ReadAllLines(Unit("webc-bootsafe-check.service"));
        var confirm = File.ReadAllLines(Unit("webc-bootsafe-confirm.service"));
        var rollback = File.ReadAllLines(Unit("webc-bootsafe-rollback.service"));

        // As greenboot-healthcheck.service: before the target, required by it, and pulling it in
        // (nothing in a default boot does); its failure starts the rollback (greenboot's redboot).
        Assert.Contains(Values(check, "Before"), v => v == "boot-complete.target");
        Assert.Contains(Values(check, "RequiredBy"), v => v == "boot-complete.target");
        Assert.Contains(Values(check, "Wants"), v => v == "boot-complete.target");
        Assert.Contains(Values(check, "OnFailure"), v => v == "webc-bootsafe-rollback.service");
        Assert.Contains(Values(check, "ExecStart"), v => v == "--check-only");
        // Exit 4 (a required check failed) must fail the unit, so that the target fails too.
        Assert.Empty(Values(check, "SuccessExitStatus"));

        // As rauc-mark-good.service: after the target, and only when it was reached.
        Assert.Contains(Values(confirm, "After"), v => v == "boot-complete.target");
        Assert.Contains(Values(confirm, "Requires"), v => v == "boot-complete.target");
        Assert.DoesNotContain(Values(confirm, "Before"), v => v == "boot-complete.target");
        Assert.Contains(Values(confirm, "ExecStart"), v => v == "--record-only");
        Assert.Contains(Values(rollback, "ExecStart"), v => v == "--record-only");
    }

    [HostFact]
    public void The_trial_deadline_runs_only_on_a_trial_boot_and_from_early_boot()
    {
        var deadline = File.ReadAllLines(Unit("webc-bootsafe-trial-deadline.service"));

        Assert.Contains(Values(deadline, "ConditionKernelCommandLine"), v => v == "bootsafe.slot=trial");
        Assert.Contains(Values(deadline, "WantedBy"), v => v == "sysinit.target");
        Assert.Contains(Values(deadline, "DefaultDependencies"), v => v == "no");
    }

    private static IEnumerable<string> Values(IEnumerable<string> lines, string key) =>
        lines.Where(l => l.StartsWith(key + "=", StringComparison.Ordinal))
            .SelectMany(l => l[(key.Length + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"Overall exposure level for (?<unit>\S+): (?<level>\d+\.\d+)")]
    private static partial Regex ExposureLine();
}
