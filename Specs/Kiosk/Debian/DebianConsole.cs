using System.Diagnostics;
using System.Text.RegularExpressions;
using Webc.BootSafe.Specs.Lab;

namespace Webc.BootSafe.Specs.Kiosk.Debian;

/// <summary>
/// What lab/debian-kiosk/s6-report printed on the serial console during one QEMU run (which may
/// span several guest boots): <c>S6-KIND release=rN ...</c> lines, each with the time the host
/// first saw it.
/// </summary>
public sealed partial record DebianConsole(string Text, IReadOnlyList<TimedLine> Lines, SerialConsole? Serial = null)
{
    /// <summary>Each time a release's userspace came up: the release and the extlinux label it booted from.</summary>
    public IReadOnlyList<(string Release, string Slot)> Ups =>
        Report("UP").Select(l => (l.Release, SlotPattern().Match(l.Rest) is { Success: true } m ? m.Groups[1].Value : "")).ToList();

    /// <summary>The reports of one kind (UP, SYSTEM, SHADOW, SUDO-MODE, SUDO, FETCH, JOURNAL when the fetch failed, STATUS, FAILED, DONE), in order.</summary>
    public IReadOnlyList<TimedLine> Report(string kind) => Lines.Where(l => l.Kind == kind).ToList();

    /// <summary>The first report of <paramref name="kind"/> by <paramref name="release"/>, its text after release=.</summary>
    public string? First(string kind, string release) => Lines.FirstOrDefault(l => l.Kind == kind && l.Release == release)?.Rest;

    /// <summary>True once <paramref name="then"/> reported DONE after <paramref name="first"/> came up.</summary>
    public bool DoneAfter(string first, string then)
    {
        var up = Lines.ToList().FindIndex(l => l.Kind == "UP" && l.Release == first);
        return up >= 0 && Lines.Skip(up + 1).Any(l => l.Kind == "DONE" && l.Release == then);
    }

    public override string ToString() =>
        string.Join("\n", Lines.Select(l => $"{l.Seen.TotalSeconds,6:F0}s {l.Kind} {l.Release} {l.Rest}")) +
        "\n--- console tail ---\n" + (Text.Length <= 6000 ? Text : Text[^6000..]) +
        (Serial is null ? "" : "\n--- qemu ---\n" + Serial.QemuErrors);

    [GeneratedRegex(@"bootsafe\.slot=(\S+)")]
    private static partial Regex SlotPattern();
}

/// <summary>One S6 report line and when the host first saw it (from the start of the QEMU run).</summary>
public sealed record TimedLine(string Kind, string Release, string Rest, TimeSpan Seen);

/// <summary>Stamps each S6 report line with the time it first appeared on the console.</summary>
public sealed partial class LineClock
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly List<TimedLine> lines = [];

    public IReadOnlyList<TimedLine> See(string text)
    {
        var matches = LinePattern().Matches(text);
        for (var i = lines.Count; i < matches.Count; i++)
        {
            var m = matches[i];
            lines.Add(new TimedLine(m.Groups["kind"].Value, m.Groups["release"].Value, m.Groups["rest"].Value, clock.Elapsed));
        }

        return lines.ToList();
    }

    // Only complete lines (one still being written would be cut short), and anywhere in a line: a
    // getty's "kiosk login: " prompt may precede a report on the shared serial console.
    [GeneratedRegex(@"S6-(?<kind>[A-Z-]+) release=(?<release>\S+) ?(?<rest>[^\r\n]*)\r?\n")]
    private static partial Regex LinePattern();
}
