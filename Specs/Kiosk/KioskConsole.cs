using System.Text.RegularExpressions;
using Webc.BootSafe.Specs.Lab;

namespace Webc.BootSafe.Specs.Kiosk;

/// <summary>What one QEMU run of the kiosk printed: each userspace start, panics, health reboots, and how it ended.</summary>
public sealed partial record KioskConsole(SerialConsole Serial)
{
    /// <summary>Every time a revision's /sbin/init came up, in order.</summary>
    public IReadOnlyList<KioskUp> Ups =>
        UpPattern().Matches(Serial.Text)
            .Select(m => new KioskUp(m.Groups["slot"].Value, m.Groups["rev"].Value, m.Groups["mounted"].Value, m.Groups["release"].Value))
            .ToList();

    public int Panics => Regex.Count(Serial.Text, "Kernel panic - not syncing");

    public int HealthReboots => Regex.Count(Serial.Text, "KIOSK-REBOOT health");

    /// <summary>Reboots the initramfs asked for (select found a spent trial).</summary>
    public int SelectReboots => Regex.Count(Serial.Text, "select asked for a reboot");

    public IReadOnlyList<int> ConfirmExits =>
        ConfirmPattern().Matches(Serial.Text).Select(m => int.Parse(m.Groups["exit"].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>Each `fetch --stage` the kiosk's init ran (with the upstream disk attached): its exit code.</summary>
    public IReadOnlyList<int> FetchExits =>
        FetchPattern().Matches(Serial.Text).Select(m => int.Parse(m.Groups["exit"].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>How long the in-VM fetch took by the guest's clock (/proc/uptime), when it finished.</summary>
    public TimeSpan? FetchDuration =>
        FetchPattern().Match(Serial.Text) is { Success: true } m
            ? TimeSpan.FromMilliseconds(10 * long.Parse(m.Groups["cs"].Value, System.Globalization.CultureInfo.InvariantCulture))
            : null;

    public bool FetchStarted => Serial.Text.Contains(FetchStartMarker, StringComparison.Ordinal);

    public const string FetchStartMarker = "KIOSK-FETCH-START";

    public bool PoweredOff => Serial.PoweredOff && Serial.Text.Contains("KIOSK-POWEROFF", StringComparison.Ordinal);

    public override string ToString() => Serial.ToString();

    [GeneratedRegex(@"KIOSK-UP slot=(?<slot>\S*) rev=(?<rev>\S*) mounted=(?<mounted>\S*) release=(?<release>\S*)")]
    private static partial Regex UpPattern();

    [GeneratedRegex(@"KIOSK-FETCH exit=(?<exit>\d+) centiseconds=(?<cs>\d+)")]
    private static partial Regex FetchPattern();

    [GeneratedRegex(@"KIOSK-CONFIRM exit=(?<exit>\d+)")]
    private static partial Regex ConfirmPattern();
}

/// <summary>A revision's userspace running: the extlinux label, the revision on the kernel command line, and the commit git-fs mounted.</summary>
public sealed record KioskUp(string Slot, string Revision, string Mounted, string Release);
