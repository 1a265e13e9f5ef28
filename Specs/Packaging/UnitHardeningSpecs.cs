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
    [InlineData("webc-bootsafe-confirm.service", 5.0)]
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
    public void Confirm_runs_before_boot_complete_which_requires_it_and_fails_with_a_failed_check()
    {
        var lines = File.ReadAllLines(Unit("webc-bootsafe-confirm.service"));

        Assert.Contains(Values(lines, "Before"), v => v == "boot-complete.target");
        Assert.Contains(Values(lines, "RequiredBy"), v => v == "boot-complete.target");
        // Nothing in a default boot pulls boot-complete.target in: confirm does.
        Assert.Contains(Values(lines, "Wants"), v => v == "boot-complete.target");
        // Exit 4 (a required check failed) must fail the unit, so that the target fails too.
        Assert.Empty(Values(lines, "SuccessExitStatus"));
    }

    private static IEnumerable<string> Values(IEnumerable<string> lines, string key) =>
        lines.Where(l => l.StartsWith(key + "=", StringComparison.Ordinal))
            .SelectMany(l => l[(key.Length + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"Overall exposure level for (?<unit>\S+): (?<level>\d+\.\d+)")]
    private static partial Regex ExposureLine();
}
