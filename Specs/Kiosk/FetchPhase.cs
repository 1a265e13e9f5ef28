using System.Globalization;
using System.Text.RegularExpressions;

namespace Webc.BootSafe.Specs.Kiosk;

/// <summary>Where an in-VM `fetch --stage` was when the power was cut.</summary>
public enum FetchPhase
{
    /// <summary>Started, no transfer progress yet (process start, config, opening the repository).</summary>
    StartUp,

    /// <summary>Objects arriving: a progress line, but not yet every object indexed.</summary>
    Transfer,

    /// <summary>Every object indexed, no staging note yet: signature, ancestry, objects and tree checked.</summary>
    Verification,

    /// <summary>"verified; staging it as trial" printed, the staged summary not yet: the medium being written.</summary>
    Staging,

    /// <summary>The fetch had printed its staged summary or exited before the cut.</summary>
    Finished,
}

/// <summary>
/// Reads the phase from the kiosk console: the fetch's log lines (progress, the staging note, the
/// summary) that the guest printed after KIOSK-FETCH-START, each prefixed with its uptime.
/// </summary>
public static partial class FetchPhases
{
    public const string StagingMarker = "verified; staging it as trial";

    /// <summary>What the first progress line holds: the transfer has begun.</summary>
    public const string TransferMarker = "fetch: objects ";

    public const string StagedMarker = "; staged as trial";

    public static FetchPhase At(string console)
    {
        var start = console.IndexOf(KioskConsole.FetchStartMarker, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException("the console shows no KIOSK-FETCH-START");
        }

        var fetch = console[start..];
        if (fetch.Contains("KIOSK-FETCH exit=", StringComparison.Ordinal) || fetch.Contains(StagedMarker, StringComparison.Ordinal))
        {
            return FetchPhase.Finished;
        }

        if (fetch.Contains(StagingMarker, StringComparison.Ordinal))
        {
            return FetchPhase.Staging;
        }

        var progress = Progress().Matches(fetch);
        if (progress.Count == 0)
        {
            return FetchPhase.StartUp;
        }

        return progress.Any(Complete) ? FetchPhase.Verification : FetchPhase.Transfer;
    }

    /// <summary>Guest uptimes of the phase boundaries in an uncut run's console.</summary>
    public static FetchTimeline Timeline(string console, TimeSpan fetchDuration)
    {
        var progress = Progress().Matches(console);
        if (progress.Count == 0)
        {
            throw new InvalidOperationException("the uncut fetch printed no progress line:\n" + console);
        }

        var transferStart = Uptime(progress[0]);
        var transferEnd = progress.FirstOrDefault(Complete) is { } done ? Uptime(done) : Uptime(progress[^1]);
        var staging = GuestTime(console, StagingMarker);
        var staged = GuestTime(console, StagedMarker);

        // KIOSK-FETCH-START has no uptime; the fetch ended just after its staged summary.
        return new FetchTimeline(staged - fetchDuration, transferStart, transferEnd, staging, staged)
        {
            // The line that ends the transfer ("every object indexed") opens verification.
            VerificationMarker = progress.FirstOrDefault(Complete) is { } complete
                ? $"fetch: objects {complete.Groups["total"].Value}/{complete.Groups["total"].Value}, indexed {complete.Groups["total"].Value}"
                : null,
        };
    }

    /// <summary>The guest's uptime before the first line containing <paramref name="marker"/>.</summary>
    public static TimeSpan GuestTime(string console, string marker)
    {
        var line = Regex.Match(console, $@"^\[(?<uptime>[0-9]+\.[0-9]+)\] [^\n]*{Regex.Escape(marker)}", RegexOptions.Multiline);
        return line.Success
            ? TimeSpan.FromSeconds(double.Parse(line.Groups["uptime"].Value, CultureInfo.InvariantCulture))
            : throw new InvalidOperationException($"no timed line with '{marker}':\n{console}");
    }

    private static bool Complete(Match m) =>
        m.Groups["total"].Value != "0" && m.Groups["indexed"].Value == m.Groups["total"].Value;

    private static TimeSpan Uptime(Match m) =>
        TimeSpan.FromSeconds(double.Parse(m.Groups["uptime"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^\[(?<uptime>[0-9]+\.[0-9]+)\] (?:webc-bootsafe: )?fetch: objects (?<received>\d+)/(?<total>\d+), indexed (?<indexed>\d+)", RegexOptions.Multiline)]
    private static partial Regex Progress();
}

/// <summary>Guest uptimes of an uncut fetch: start (estimated), first progress line, every object indexed, staging note, staged summary.</summary>
public sealed record FetchTimeline(TimeSpan Start, TimeSpan TransferStart, TimeSpan TransferEnd, TimeSpan Staging, TimeSpan Staged)
{
    /// <summary>The text of the progress line that ends the transfer, when the uncut run printed one.</summary>
    public string? VerificationMarker { get; init; }

    /// <summary>How long after KIOSK-FETCH-START the point <paramref name="fraction"/> of the way through <paramref name="phase"/> came.</summary>
    public TimeSpan Into(FetchPhase phase, double fraction)
    {
        var (from, to) = phase switch
        {
            FetchPhase.StartUp => (Start, TransferStart),
            FetchPhase.Transfer => (TransferStart, TransferEnd),
            FetchPhase.Verification => (TransferEnd, Staging),
            FetchPhase.Staging => (Staging, Staged),
            _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "no cut is planned after the fetch"),
        };
        var at = from + ((to - from) * fraction) - Start;
        return at < TimeSpan.Zero ? TimeSpan.Zero : at;
    }

    /// <summary>How long <paramref name="phase"/> lasted in the uncut run.</summary>
    public TimeSpan Length(FetchPhase phase) => phase switch
    {
        FetchPhase.StartUp => TransferStart - Start,
        FetchPhase.Transfer => TransferEnd - TransferStart,
        FetchPhase.Verification => Staging - TransferEnd,
        FetchPhase.Staging => Staged - Staging,
        _ => TimeSpan.Zero,
    };

    public override string ToString() =>
        $"start-up {(TransferStart - Start).TotalSeconds:F1}s, transfer {(TransferEnd - TransferStart).TotalSeconds:F1}s, " +
        $"verification {(Staging - TransferEnd).TotalSeconds:F1}s, staging {(Staged - Staging).TotalSeconds:F1}s";
}
