using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Updates.Operator;

/// <summary>`history [--verify]`: the history's lines, and with verify the hash chain and replay verdict.</summary>
public sealed record ReadHistory(IReadOnlyList<HistoryLine> Lines, HistoryVerification? Verdict)
{
    public static ReadHistory Run(MediumLayout layout, bool verify)
    {
        var store = new YamlSlotStore(new PosixMediumStorage(), layout);
        var lines = store.History.ReadLines(out _);
        if (lines.Count == 0 && !store.Exists)
        {
            throw new OperationFailedException($"no history at {layout.HistoryFile}: this medium was never initialized");
        }

        return new ReadHistory(lines, verify ? store.History.Verify(store.Exists ? store.Load().Record : null) : null);
    }

    /// <summary>What `history --json` prints: the readable entries, and with verify the verdict.</summary>
    public HistoryReport Report() =>
        new([.. Lines.Select(l => l.Entry).OfType<HistoryEntry>()], Verdict?.Ok, Verdict?.Problems ?? [], Verdict?.Notes ?? []);

    /// <summary>The history as text, one line each: every transition (or that a line is unreadable), then the verdict's notes and result.</summary>
    public IEnumerable<string> Text()
    {
        foreach (var line in Lines)
        {
            yield return line.Entry is { } e
                ? $"{e.Seq,4} {e.At} {e.Trigger,-12} {(e.From.Length > 0 ? e.From : "-"),-10} -> {e.To,-10} gen {e.Generation} {e.Reason}"
                : $"{line.Number,4} (unreadable line)";
        }

        if (Verdict is null)
        {
            yield break;
        }

        foreach (var note in Verdict.Notes)
        {
            yield return "note: " + note;
        }

        yield return Verdict.Ok ? $"history verified: {Verdict.Lines} line(s), replay matches generation {Verdict.Replayed?.Generation}" : "history verification FAILED";
    }
}
