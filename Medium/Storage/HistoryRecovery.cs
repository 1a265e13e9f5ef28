using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Medium.Storage;

/// <summary>
/// Rebuilds the newest record from history.log when state.yaml is unreadable: replays, from the
/// older generation that is still readable (state.yaml.prev), every later line that is itself
/// intact (canonical, its hash matches, chained to the line before it) and that the machine
/// reproduces exactly. The first line that fails any of these ends the trusted part; a parseable line
/// beyond it that is newer than the result is named in <see cref="HistoryRebuild.Doubt"/>, so
/// callers do not judge a boot from a record the history says is stale.
/// </summary>
public static class HistoryRecovery
{
    public static HistoryRebuild Rebuild(IReadOnlyList<HistoryLine> lines, SlotRecord? from)
    {
        var lineage = LastIndex(lines, l => l.Entry?.Trigger == "Init");
        var chain = new List<SlotRecord>();
        var start = lineage + 1;
        if (from is not null)
        {
            chain.Add(from);
        }
        else if (lineage >= 0 && Intact(lines, lineage) && Init(lines[lineage].Entry!) is { } initial)
        {
            chain.Add(initial);
        }
        else
        {
            return new HistoryRebuild(null, 0, Doubt(lines, start, null));
        }

        var replayed = 0;
        var i = start;
        for (; i < lines.Count; i++)
        {
            var e = lines[i].Entry;
            if (e is { Trigger: not "Init" } && e.Generation <= chain[0].Generation)
            {
                continue; // older than the starting generation: already part of it
            }

            if (e is null || !Intact(lines, i))
            {
                break;
            }

            if (e.Trigger == HistoryLog.RefusedTrigger)
            {
                continue;
            }

            var at = chain.FindLastIndex(r => r.Generation == e.Generation - 1);
            if (at < 0 || !TryReplay(chain[at], e, out var after))
            {
                break;
            }

            chain.RemoveRange(at + 1, chain.Count - at - 1);
            chain.Add(after);
            replayed++;
        }

        var result = chain[^1];
        return new HistoryRebuild(result, replayed, Doubt(lines, i, result));
    }

    /// <summary>
    /// The record a committed <paramref name="state"/> (state.yaml) has become through the journal
    /// lines after it (<see cref="HistoryLog.ReadTail"/>): boots are committed by their history line
    /// alone (docs/crash-safety.md). Each line must be intact (canonical, its hash matches, chained to
    /// the tail line before it), of the next generation, and reproduced exactly by the machine; the
    /// first one that is not, or a line that is not a record where the tail starts, is the
    /// <see cref="HistoryRebuild.Doubt"/> and ends the replay.
    /// </summary>
    public static HistoryRebuild ReplayTail(IReadOnlyList<HistoryLine> tail, int unreadableLine, SlotRecord state)
    {
        var record = state;
        var replayed = 0;
        for (var i = 0; i < tail.Count; i++)
        {
            var e = tail[i].Entry!;
            var intact = HistoryLog.Serialize(e) == tail[i].Text && e.Hash == HistoryLog.HashOf(e)
                         && (i == 0 || e.Prev == tail[i - 1].Entry!.Hash);
            if (intact && e.Trigger == HistoryLog.RefusedTrigger)
            {
                continue;
            }

            if (!intact || e.Generation != record.Generation + 1 || !TryReplay(record, e, out var after))
            {
                return new HistoryRebuild(
                    record,
                    replayed,
                    $"history.log {tail[i].Where} records {e.Trigger} to generation {e.Generation} ({e.To}, known-good {e.KnownGood}), newer than state.yaml's generation {state.Generation}, but it cannot be verified");
            }

            record = after;
            replayed++;
        }

        var garbage = unreadableLine != 0
            ? $"history.log {HistoryLine.Describe(unreadableLine)} is not a history record, and it is newer than state.yaml's generation {state.Generation}"
            : null;
        return new HistoryRebuild(record, replayed, garbage);
    }

    private static bool TryReplay(SlotRecord before, HistoryEntry e, out SlotRecord after)
    {
        after = before;
        try
        {
            after = SlotMachine.Fire(before, HistoryLog.ToEvent(e), StateFileCodec.ParseTime(e.At)).After;
            return HistoryLog.Matches(after, e);
        }
        catch (Exception ex) when (ex is StateFileException or InvalidRevisionException or InvalidOperationException or ArgumentException or FormatException)
        {
            return false;
        }
    }

    /// <summary>The line parses, is canonical, its hash matches its content, and its prev is the line before's hash.</summary>
    private static bool Intact(IReadOnlyList<HistoryLine> lines, int i)
    {
        if (lines[i].Entry is not { } e || HistoryLog.Serialize(e) != lines[i].Text || e.Hash != HistoryLog.HashOf(e))
        {
            return false;
        }

        var expected = i == 0 ? HistoryLog.Genesis : lines[i - 1].Entry?.Hash ?? HistoryLog.RawHash(lines[i - 1].Text);
        return e.Prev == expected;
    }

    private static SlotRecord? Init(HistoryEntry e) =>
        Revision.TryParse(e.Revision, out var known) && e.MaxTrialBoots >= 1
            ? SlotRecord.Initial(known, e.MaxTrialBoots) with { Generation = e.Generation }
            : null;

    /// <summary>The first untrusted line from <paramref name="from"/> on that claims a transition newer than <paramref name="result"/>.</summary>
    private static string? Doubt(IReadOnlyList<HistoryLine> lines, int from, SlotRecord? result)
    {
        for (var i = from; i < lines.Count; i++)
        {
            if (lines[i].Entry is { } e && e.Trigger is not (HistoryLog.RefusedTrigger or "Init") && (result is null || e.Generation > result.Generation))
            {
                return $"history.log line {lines[i].Number} records {e.Trigger} to generation {e.Generation} ({e.To}, known-good {e.KnownGood}), newer than the recovered record, but it cannot be verified";
            }
        }

        return null;
    }

    private static int LastIndex(IReadOnlyList<HistoryLine> lines, Func<HistoryLine, bool> match)
    {
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            if (match(lines[i]))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>
/// What <see cref="HistoryRecovery.Rebuild"/> found: the newest trustworthy record (null when there
/// was nothing to start from), how many lines it replayed onto the starting generation, and a
/// newer line it could not trust, if any.
/// </summary>
public sealed record HistoryRebuild(SlotRecord? Record, int Replayed, string? Doubt);
