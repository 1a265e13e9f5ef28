using System.Text;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Medium.Storage;

/// <summary>
/// history.log: one JSON line per transition, appended and fsynced before the state file is
/// replaced, hash-chained so any edited, dropped or reordered line is detected. Replaying it through
/// <see cref="SlotMachine.Fire"/> from the last Init reproduces the slot record.
/// </summary>
/// <remarks>
/// Crash windows it tolerates, and nothing else: (1) a torn last append (no final newline), which the
/// next append cuts off; (2) a last line whose state replace never happened (state.yaml is one
/// generation behind it); such a line is superseded by the next line of the same generation.
/// </remarks>
public sealed class HistoryLog(IMediumStorage storage, string path)
{
    public static readonly string Genesis = new('0', 64);

    /// <summary>The trigger of a line that records a refusal: the record did not change.</summary>
    public const string RefusedTrigger = "Refused";

    /// <summary>The cause on a Stage line staged with `--no-verify`.</summary>
    public const string UnverifiedCause = "--no-verify: signature, descent from known-good and tree rules not checked";

    public string Path { get; } = path;

    /// <summary>Appends the Init line of a (re-)initialized medium.</summary>
    public void AppendInit(SlotRecord record, DateTimeOffset at) =>
        AppendEntry(() => Describe(record) with
        {
            At = StateFileCodec.Time(at),
            Trigger = "Init",
            Revision = record.KnownGood.Sha,
            From = "",
            Reason = "initialized",
        });

    public void Append(Transition t) =>
        AppendEntry(() => Describe(t.After) with
        {
            At = StateFileCodec.Time(t.At),
            Trigger = t.Event.Trigger.Name(),
            Revision = t.Event switch
            {
                Stage s => s.Revision.Sha,
                BootObserved b => b.Revision.Sha,
                Unfail u => u.Revision.Sha,
                _ => null,
            },
            Force = t.Event is Stage { Force: true } ? true : null,
            Slot = (t.Event as BootObserved)?.Slot,
            Cause = t.Event switch
            {
                HealthFailed f => f.Reason,
                Unfail u => u.Reason,
                Stage { Unverified: true } => UnverifiedCause,
                _ => null,
            },
            From = t.Before.State.Name(),
            Reason = t.Reason,
        });

    /// <summary>
    /// Appends a refusal: <paramref name="what"/> (an event's trigger, or <c>Fetch</c>) was refused
    /// for <paramref name="reason"/>. The line carries the unchanged record (same generation), so
    /// replay skips it and the chain stays whole.
    /// </summary>
    public void AppendRefusal(SlotRecord current, string what, string? revision, string reason, DateTimeOffset at) =>
        AppendEntry(() => Describe(current) with
        {
            At = StateFileCodec.Time(at),
            Trigger = RefusedTrigger,
            Event = what,
            Revision = revision,
            From = current.State.Name(),
            Reason = reason,
        });

    /// <summary>Every complete line, parsed where possible (null entry when not).</summary>
    public IReadOnlyList<HistoryLine> ReadLines(out bool tornTail)
    {
        tornTail = false;
        if (!storage.FileExists(Path))
        {
            return [];
        }

        var text = Encoding.UTF8.GetString(storage.ReadAllBytes(Path));
        var parts = text.Split('\n');
        tornTail = parts[^1].Length > 0;
        var lines = new List<HistoryLine>(parts.Length);
        for (var i = 0; i < parts.Length - 1; i++)
        {
            lines.Add(new HistoryLine(i + 1, parts[i], TryParse(parts[i])));
        }

        return lines;
    }

    /// <summary>
    /// The journal tail above a committed record of generation <paramref name="committed"/>: the complete
    /// lines after the last Init or the last transition line of that generation or older, parsed from the
    /// end. <paramref name="unreadableLine"/> is the number of the complete line that ended the scan when
    /// it is not a record (its generation is unknown), else 0. Line numbers count from the start when
    /// the whole file was read, else they are negative: from the end (see <see cref="HistoryLine.Where"/>).
    /// </summary>
    /// <remarks>
    /// This runs on every boot, and the history only grows: the file is read from its end in growing
    /// windows until the scan stops, so a boot reads the few lines after state.yaml, not years of
    /// history; a file that never yields a line boundary (damage, or not a regular file) is read no
    /// further than <see cref="MaxTailBytes"/>.
    /// </remarks>
    public IReadOnlyList<HistoryLine> ReadTail(long committed, out int unreadableLine)
    {
        unreadableLine = 0;
        if (!storage.FileExists(Path))
        {
            return [];
        }

        var length = storage.Length(Path);
        for (var window = Math.Min(length, FirstTailWindow); ; window = Math.Min(Math.Min(length, MaxTailBytes), window * 4))
        {
            var whole = window == length;
            var text = Encoding.UTF8.GetString(ReadLast(window, length));
            var tail = ScanTail(text, committed, whole, out unreadableLine);
            if (tail is not null)
            {
                return Number(tail, text, whole, ref unreadableLine);
            }

            if (window >= MaxTailBytes)
            {
                // MaxTailBytes of lines that all follow state.yaml, or of no line at all: not a journal.
                unreadableLine = -1;
                return Number([], text, whole, ref unreadableLine);
            }
        }
    }

    // A line is about 450 bytes and a boot needs the few after state.yaml: 4 KiB holds them, and a
    // larger first read cost every boot its fresh memory (a 64 KiB window was 200 KB of buffer and
    // string, issue 17); the window grows x4 when the lines go further back.
    private const long FirstTailWindow = 4 * 1024;

    /// <summary>How much of history.log a boot reads at most looking for the journal tail.</summary>
    public const long MaxTailBytes = 16 * 1024 * 1024;

    private byte[] ReadLast(long count, long length)
    {
        if (count == 0)
        {
            return [];
        }

        using var stream = storage.OpenRead(Path);
        stream.Seek(length - count, SeekOrigin.Begin);
        var buffer = new byte[count];
        stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return buffer;
    }

    // Null when the window ran out before the scan stopped (its first line may be cut).
    private static List<HistoryLine>? ScanTail(string text, long committed, bool whole, out int unreadableLine)
    {
        unreadableLine = 0;
        var tail = new List<HistoryLine>();
        var end = text.LastIndexOf('\n'); // a torn last append (no newline) is not a line
        while (end >= 0)
        {
            var start = end == 0 ? -1 : text.LastIndexOf('\n', end - 1);
            if (start < 0 && !whole)
            {
                return null;
            }

            var line = text[(start + 1)..end];
            var entry = TryParse(line);
            // A refusal carries the generation it was refused at: one at or below state.yaml's is older
            // than every journal line, so a kiosk refused every hour since its last update stops here.
            if (entry is null || entry.Trigger == "Init" || entry.Generation <= committed)
            {
                unreadableLine = entry is null ? -1 : 0;
                break;
            }

            tail.Add(new HistoryLine(0, line, entry));
            end = start;
        }

        if (end < 0 && !whole)
        {
            return null;
        }

        tail.Reverse();
        return tail;
    }

    // Line numbers only for messages: counted once, and only when there is something to say.
    private static List<HistoryLine> Number(List<HistoryLine> tail, string text, bool whole, ref int unreadableLine)
    {
        if (tail.Count == 0 && unreadableLine == 0)
        {
            return tail;
        }

        // Without the whole file the count from the start is unknown: lines are numbered from the end.
        var complete = text.Count(c => c == '\n');
        int At(int fromEnd) => whole ? complete - fromEnd + 1 : -fromEnd;
        var numbered = tail.Select((l, i) => l with { Number = At(tail.Count - i) }).ToList();
        unreadableLine = unreadableLine != 0 ? At(tail.Count + 1) : 0;
        return numbered;
    }

    /// <summary>Checks the chain and replays it; compares with <paramref name="current"/> when given.</summary>
    public HistoryVerification Verify(SlotRecord? current)
    {
        var lines = ReadLines(out var torn);
        var problems = new List<string>();
        var notes = new List<string>();
        if (torn)
        {
            notes.Add($"line {lines.Count + 1} is a torn append (power cut while writing); it is ignored");
        }

        var prev = Genesis;
        long seq = 0;
        foreach (var line in lines)
        {
            if (line.Entry is not { } e)
            {
                problems.Add($"line {line.Number}: not a history record");
                prev = RawHash(line.Text);
                continue;
            }

            if (Serialize(e) != line.Text)
            {
                problems.Add($"line {line.Number}: not in canonical form (edited by hand?)");
            }

            if (e.Hash != HashOf(e))
            {
                problems.Add($"line {line.Number}: its hash does not match its content");
            }

            if (e.Prev != prev)
            {
                problems.Add($"line {line.Number}: chain broken (prev does not match line {line.Number - 1}'s hash)");
            }

            if (e.Seq != seq + 1)
            {
                problems.Add($"line {line.Number}: seq {e.Seq} does not follow {seq}");
            }

            prev = e.Hash ?? "";
            seq = e.Seq;
        }

        var entries = lines.Select(l => l.Entry).OfType<HistoryEntry>().ToList();
        var replayed = Replay(entries, problems);
        if (current is not null && problems.Count == 0 && replayed != current)
        {
            var lastTransition = entries.FindLastIndex(e => e.Trigger != RefusedTrigger);
            var uncommitted = lastTransition >= 0 ? Replay([.. entries.Where((_, i) => i != lastTransition)], []) : null;
            if (uncommitted is not null && uncommitted == current)
            {
                notes.Add($"line {lines.Count} was appended but the state file was not replaced (power cut between the two); it does not count");
                replayed = uncommitted;
            }
            else
            {
                problems.Add(
                    $"replaying the history gives generation {replayed?.Generation} ({replayed?.State}), " +
                    $"but the state file holds generation {current.Generation} ({current.State})");
            }
        }

        return new HistoryVerification(lines.Count, replayed, problems, notes);
    }

    /// <summary>
    /// Folds the entries from the last Init through <see cref="SlotMachine.Fire"/>. A line of
    /// generation g replaces any earlier line of generation g or later (a commit that never reached
    /// the state file). Disagreements are added to <paramref name="problems"/>.
    /// </summary>
    public static SlotRecord? Replay(IReadOnlyList<HistoryEntry> entries, List<string> problems)
    {
        var chain = new List<SlotRecord>();
        foreach (var e in entries)
        {
            try
            {
                if (e.Trigger == RefusedTrigger)
                {
                    continue;
                }

                if (e.Trigger == "Init")
                {
                    chain = [SlotRecord.Initial(Revision.Parse(e.Revision), e.MaxTrialBoots) with { Generation = e.Generation }];
                    continue;
                }

                var at = chain.FindLastIndex(r => r.Generation == e.Generation - 1);
                if (at < 0)
                {
                    problems.Add($"seq {e.Seq}: generation {e.Generation} follows no generation {e.Generation - 1}");
                    continue;
                }

                chain.RemoveRange(at + 1, chain.Count - at - 1);
                var after = SlotMachine.Fire(chain[at], ToEvent(e), StateFileCodec.ParseTime(e.At)).After;
                if (!Matches(after, e))
                {
                    problems.Add($"seq {e.Seq}: replaying {e.Trigger} gives {after.State} generation {after.Generation}, not what the line records");
                }

                chain.Add(after);
            }
            catch (Exception ex) when (ex is Errors.OperationFailedException or StateFileException or Errors.BadInputException
                                         or TransitionRefusedException or InvalidRevisionException)
            {
                problems.Add($"seq {e.Seq}: cannot replay {e.Trigger}: {ex.Message}");
            }
        }

        return chain.Count > 0 ? chain[^1] : null;
    }

    private void AppendEntry(Func<HistoryEntry> make)
    {
        // Only the last complete line matters here, and every boot appends: it is read from the end,
        // so a boot after years of history reads a line, not the file.
        var created = !storage.FileExists(Path);
        var lastText = created ? null : LastCompleteLine();
        var last = lastText is null ? null : TryParse(lastText);
        var prevHash = lastText is null ? Genesis : last?.Hash ?? RawHash(lastText);
        // A damaged last line has no seq: then (only then) the lines are counted.
        var seq = last?.Seq ?? (lastText is null ? 0 : CountLines());
        var draft = make() with { Seq = seq + 1, Prev = prevHash, Hash = null };
        var entry = draft with { Hash = HashOf(draft) };
        storage.Append(Path, Encoding.UTF8.GetBytes(Serialize(entry) + "\n"));
        storage.Sync(Path);
        if (created)
        {
            storage.SyncDirectory(System.IO.Path.GetDirectoryName(Path)!);
        }
    }

    // The last complete line (null in an empty log), after cutting off a torn tail.
    private string? LastCompleteLine()
    {
        var length = storage.Length(Path);
        for (var window = Math.Min(length, FirstTailWindow); ; window = Math.Min(length, window * 4))
        {
            var text = Encoding.UTF8.GetString(ReadLast(window, length));
            if (text.Length == 0)
            {
                return null;
            }

            if (text[^1] != '\n')
            {
                // A power cut mid-append left a line without its newline: cut it off, or the next line
                // would be glued to it. Rare, so the whole file is read and atomically replaced.
                var bytes = storage.ReadAllBytes(Path);
                storage.ReplaceAtomically(Path, bytes.AsSpan(0, bytes.AsSpan().LastIndexOf((byte)'\n') + 1));
                return LastCompleteLine();
            }

            var end = text.Length - 1;
            var start = end == 0 ? -1 : text.LastIndexOf('\n', end - 1);
            if (start >= 0 || window == length)
            {
                return text[(start + 1)..end];
            }
        }
    }

    private long CountLines()
    {
        using var stream = storage.OpenRead(Path);
        var buffer = new byte[64 * 1024];
        long lines = 0;
        for (int read; (read = stream.Read(buffer)) > 0;)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return lines;
    }

    internal static bool Matches(SlotRecord r, HistoryEntry e) =>
        Describe(r) == e with
        {
            Seq = 0, At = "", Trigger = "", Event = null, Revision = null, Force = null, Slot = null, Cause = null,
            From = "", Reason = "", Prev = "", Hash = null,
        };

    private static HistoryEntry Describe(SlotRecord r) => new()
    {
        To = r.State.Name(),
        Generation = r.Generation,
        KnownGood = r.KnownGood.Sha,
        Trial = r.Trial?.Sha,
        Previous = r.Previous?.Sha,
        TrialBoots = r.TrialBoots,
        MaxTrialBoots = r.MaxTrialBoots,
    };

    internal static SlotEvent ToEvent(HistoryEntry e) => e.Trigger switch
    {
        nameof(SlotTrigger.Stage) => new Stage(Revision.Parse(e.Revision), e.Force ?? false, e.Cause == UnverifiedCause),
        nameof(SlotTrigger.Unstage) => new Unstage(),
        nameof(SlotTrigger.BootObserved) => new BootObserved(Revision.Parse(e.Revision), e.Slot),
        nameof(SlotTrigger.HealthPassed) => new HealthPassed(),
        nameof(SlotTrigger.HealthFailed) => new HealthFailed(e.Cause ?? ""),
        nameof(SlotTrigger.Unfail) => new Unfail(Revision.Parse(e.Revision), e.Cause ?? ""),
        nameof(SlotTrigger.KnownGoodCameUp) => new KnownGoodCameUp(),
        _ => throw new StateFileException($"unknown trigger '{e.Trigger}'"),
    };

    internal static HistoryEntry? TryParse(string line) => HistoryLineCodec.TryParse(line);

    internal static string Serialize(HistoryEntry e) => HistoryLineCodec.Serialize(e);

    internal static string HashOf(HistoryEntry e) =>
        Sha256.HexOf(Encoding.UTF8.GetBytes(Serialize(e with { Hash = null })));

    internal static string RawHash(string text) => Sha256.HexOf(Encoding.UTF8.GetBytes(text));
}

/// <summary>A complete line of history.log and its parse (null when the line is not a record).</summary>
public sealed record HistoryLine(int Number, string Text, HistoryEntry? Entry)
{
    /// <summary>"line N", or "line N from the end" when only the end of the file was read (negative numbers).</summary>
    public string Where => Describe(Number);

    public static string Describe(int number) => number >= 0 ? $"line {number}" : $"line {-number} from the end";
}
