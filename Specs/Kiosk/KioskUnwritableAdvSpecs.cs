using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;
using Xunit.Abstractions;

namespace Webc.BootSafe.Specs.Kiosk;

/// <summary>
/// S5: boot-once is not consumed because the bootloader's ADV write fails. QEMU's blkdebug driver
/// fails writes to the two ADV sectors (lab/adv-fault-rules.sh), either until the first flush (the
/// BIOS path ldlinux writes through never flushes, Linux does before BootSafe writes the ADV, so only
/// the bootloader is hit) or for every writer (sectors gone bad: BootSafe's own disarm fails too).
/// Each power-on is its own QEMU process (-no-reboot) and starts faulted again. The trial r5 boots
/// (kernel and initramfs fine) but its userspace reboots before any health check, so only select's
/// trial-boot count can end the loop of once=trial.
/// </summary>
[Trait(Tier.Name, Tier.Lab)]
[Collection(MachineCollection.Name)]
public sealed partial class KioskUnwritableAdvSpecs(ITestOutputHelper output)
{
    private const int MaxPowerOns = 4;

    private static readonly JsonSerializerOptions ShowJson = new() { PropertyNameCaseInsensitive = true };

    [LabTheory]
    [InlineData("--bootloader-only")]
    [InlineData("--every-writer")]
    public void S5_boot_once_not_consumed_the_trial_boot_count_brings_the_kiosk_back_to_known_good(string fault)
    {
        var linuxWritesAdv = fault == "--bootloader-only";
        var r1 = KioskBase.Revision("r1");
        var r5 = KioskBase.Revision("r5");
        using var kiosk = KioskMachine.FromBase();
        kiosk.FetchAndStage("r5");
        var drive = FaultedAdvDrive(kiosk, fault);

        var clock = Stopwatch.StartNew();
        var powerOns = new List<KioskConsole>();
        var onceAfter = new List<string?>();
        while (powerOns.Count < MaxPowerOns && (powerOns.Count == 0 || !powerOns[^1].PoweredOff))
        {
            var console = kiosk.PowerOn(drive);
            powerOns.Add(console);
            onceAfter.Add(Show(kiosk).Adv.BootOnce);
            output.WriteLine(
                $"power-on {powerOns.Count}: {console.Serial.Elapsed.TotalSeconds:F0}s, ups [{string.Join("; ", console.Ups)}], " +
                $"crashes {Crashes(console)}, powered off {console.PoweredOff}, boot-once after: {onceAfter[^1] ?? "(none)"}");
        }

        output.WriteLine($"back on known-good after {powerOns.Count} power-ons, {clock.Elapsed.TotalSeconds:F0}s");
        var log = string.Join("\n=== next power-on ===\n", powerOns.Select(c => c.ToString()));
        Assert.True(powerOns.Count == 3, $"expected 3 power-ons (trial, trial over budget, known-good), got {powerOns.Count}:\n{log}");

        // 1: ldlinux boots the trial and cannot delete BOOTONCE; select counts the trial boot; r5 dies.
        var first = powerOns[0];
        Assert.Equal(new KioskUp("trial", r5, r5, "r5"), Assert.Single(first.Ups));
        Assert.Equal(1, Crashes(first));
        Assert.Equal("trial", onceAfter[0]);

        // 2: the trial again (still not consumed); select finds the budget spent, disarms (or, when the
        // ADV is unwritable to Linux too, drops the trial label instead), rolls back and reboots before
        // any userspace of r5 runs.
        var second = powerOns[1];
        Assert.True(
            second.Ups.Count == 0 && OverBudget().IsMatch(second.Serial.Text) && second.Serial.Text.Contains("reboot: Restarting system", StringComparison.Ordinal),
            second.ToString());
        Assert.Equal(linuxWritesAdv ? null : "trial", onceAfter[1]);
        Assert.Equal(!linuxWritesAdv, second.Serial.Text.Contains("boot-once not disarmed", StringComparison.Ordinal));

        // 3: known-good r1 (through DEFAULT when the leftover once names the removed trial label), powered off.
        var third = powerOns[2];
        Assert.Equal(new KioskUp("good", r1, r1, "r1"), Assert.Single(third.Ups));
        Assert.True(third.PoweredOff, third.ToString());

        var state = kiosk.State();
        Assert.Contains(state.State, new[] { "RolledBack", "Stable" });
        Assert.Equal(r1, state.KnownGood);
        Assert.Null(state.Trial);
        Assert.True(state.HasFailed(r5), $"r5 not in the failed set: {string.Join(", ", state.Failed)}");
        var bootloader = Show(kiosk);
        Assert.Equal(linuxWritesAdv ? null : "trial", bootloader.Adv.BootOnce);
        Assert.DoesNotContain(bootloader.Labels, l => l.Label == "trial");
    }

    /// <summary>The blkdebug -drive value that makes the kiosk's ADV sectors unwritable (to the bootloader only, or to every writer).</summary>
    private string FaultedAdvDrive(KioskMachine kiosk, string fault)
    {
        var rules = Path.Combine(Path.GetDirectoryName(kiosk.Image)!, "adv-fault.rules");
        var sectors = Run.LabScript("adv-fault-rules.sh", kiosk.Image, rules, fault).Trim();
        output.WriteLine($"ADV sectors failing writes ({fault}): {sectors}");
        return $"driver=raw,file.driver=blkdebug,file.config={rules},file.image.driver=file,file.image.filename={kiosk.Image},if=ide";
    }

    private static BootloaderView Show(KioskMachine kiosk)
    {
        var json = Run.Command(
            TimeSpan.FromMinutes(2), "bash",
            Path.Combine(RepoPaths.Root, "lab", "kiosk", "medium.sh"), kiosk.Image, KioskBase.Cli, "--json", "bootloader", "show");
        return JsonSerializer.Deserialize<BootloaderView>(json, ShowJson) ?? throw new InvalidOperationException("bootloader show printed null: " + json);
    }

    private static int Crashes(KioskConsole console) => Regex.Count(console.Serial.Text, "KIOSK-CRASH r5");

    [GeneratedRegex(@"select: rolled back: trial booted 2 times without a health verdict \(budget 1\); reboot into known-good")]
    private static partial Regex OverBudget();

    private sealed record BootloaderView(IReadOnlyList<LabelView> Labels, AdvView Adv);

    private sealed record LabelView(string Label);

    private sealed record AdvView([property: System.Text.Json.Serialization.JsonPropertyName("boot_once")] string? BootOnce);
}
