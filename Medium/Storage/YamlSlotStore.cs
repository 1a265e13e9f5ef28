using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Medium.Storage;

/// <summary>
/// The slot record in <c>live/bootsafe/state.yaml</c> (checksummed YAML, see <see cref="StateFileCodec"/>)
/// with the generation before it in <c>state.yaml.prev</c>, and the history in <c>history.log</c>.
/// </summary>
/// <remarks>
/// Commit order, each step crash-safe on its own (temp, fsync, rename, fsync dir):
/// 1. append the transition to history.log and fsync it: from here on the transition is committed,
///    because <see cref="Load"/> replays the verified lines after state.yaml's generation;
/// 2. replace state.yaml.prev with the Before record;
/// 3. replace state.yaml with the After record.
/// A boot that asks nothing of the bootloader stops after step 1 (<see cref="JournalOnly"/>). At every
/// instant state.yaml holds a committed generation at or below the newest and state.yaml.prev a valid
/// older one, so one unreadable file always leaves the other (and the history to replay onto it).
/// </remarks>
public sealed class YamlSlotStore(IMediumStorage storage, MediumLayout layout) : ISlotStore
{
    /// <summary>Journal-only commits in a row before a commit rewrites state.yaml again.</summary>
    public const int MaxJournalLines = 16;

    // Whether state.yaml loaded cleanly (with its verified tail), and how many lines that tail has.
    private bool _stateCurrent;
    private int _journal;

    public HistoryLog History { get; } = new(storage, layout.HistoryFile);

    public MediumLayout Layout => layout;

    /// <summary>True when a state file (either generation) is on the medium.</summary>
    public bool Exists => storage.FileExists(layout.StateFile) || storage.FileExists(layout.PreviousStateFile);

    public void Initialize(SlotRecord record, DateTimeOffset at)
    {
        storage.CreateDirectory(layout.BootSafe);
        History.AppendInit(record, at);

        // Both generations start as this record: a re-initialized medium starts a new lineage, so an
        // older lineage's file must never be taken for this one's previous, and a state.yaml
        // corrupted before the first transition still has a copy to recover from.
        storage.ReplaceAtomically(layout.PreviousStateFile, StateFileCodec.Encode(record));
        storage.ReplaceAtomically(layout.StateFile, StateFileCodec.Encode(record));
    }

    public StoreLoad Load()
    {
        _stateCurrent = false;
        var newest = TryRead(layout.StateFile, out var newestProblem);
        if (newest is not null)
        {
            // Boots since the last full commit are in the history alone (see Commit).
            var replay = ReplayJournal(newest);
            _journal = replay.Replayed;
            if (replay.Doubt is { } doubt)
            {
                return new StoreLoad(
                    replay.Record!,
                    $"{layout.HistoryFile}: {doubt}; using generation {replay.Record!.Generation} (state.yaml and {replay.Replayed} verified line(s) after it)",
                    doubt);
            }

            _stateCurrent = true;
            return new StoreLoad(replay.Record!, null);
        }

        // Recovery never goes backwards: state.yaml.prev is one generation behind, and right after a
        // promotion it is still Trying. The hash-chained history holds the transition that made
        // state.yaml; replaying its intact lines from .prev rebuilds the newer record.
        var previous = TryRead(layout.PreviousStateFile, out var previousProblem);
        if (previous is not null)
        {
            var rebuild = HistoryRecovery.Rebuild(History.ReadLines(out _), previous);
            if (rebuild is { Record: { } rebuilt, Replayed: > 0 })
            {
                return new StoreLoad(
                    rebuilt,
                    $"{layout.StateFile}: {newestProblem}; rebuilt generation {rebuilt.Generation} by replaying {rebuild.Replayed} verified line(s) of {layout.HistoryFile} onto generation {previous.Generation} from {layout.PreviousStateFile}",
                    rebuild.Doubt);
            }

            return new StoreLoad(
                previous,
                $"{layout.StateFile}: {newestProblem}; recovered the previous generation {previous.Generation} from {layout.PreviousStateFile}",
                rebuild.Doubt);
        }

        if (!Exists)
        {
            throw new OperationFailedException($"no slot record at {layout.StateFile}: this medium was never initialized (run `webc-bootsafe init --revision SHA`)");
        }

        throw new OperationFailedException(
            $"no readable slot record: {layout.StateFile}: {newestProblem}; {layout.PreviousStateFile}: {previousProblem}. " +
            "The boot path falls back to the revision on the kernel command line; `init --force --revision SHA` starts a new record");
    }

    public void RecordRefusal(SlotRecord current, string what, string? revision, string reason, DateTimeOffset at) =>
        History.AppendRefusal(current, what, revision, reason, at);

    public void Commit(Transition transition)
    {
        if (transition.After.Generation != transition.Before.Generation + 1)
        {
            throw new ArgumentException($"transition from generation {transition.Before.Generation} to {transition.After.Generation} skips a generation", nameof(transition));
        }

        History.Append(transition);
        if (JournalOnly(transition))
        {
            _journal++;
            return;
        }

        storage.ReplaceAtomically(layout.PreviousStateFile, StateFileCodec.Encode(transition.Before));
        storage.ReplaceAtomically(layout.StateFile, StateFileCodec.Encode(transition.After));
        _journal = 0;
        _stateCurrent = true;
    }

    /// <summary>
    /// A boot that asks nothing of the bootloader (known-good or a counted trial boot) is committed by
    /// its fsynced history line alone: <see cref="Load"/> replays the lines after state.yaml, so the
    /// line is the commit, and the boot path makes one fsync instead of five. Only over a state.yaml
    /// that loaded cleanly (a recovery is repaired by a full commit), and at most
    /// <see cref="MaxJournalLines"/> in a row (the next commit rewrites both files; confirm's full
    /// commits keep the tail at one line in practice).
    /// </summary>
    // A history.log that cannot be read (a bad sector: EIO) is a doubt, not a lost record: state.yaml
    // stays in charge, and the next full commit rewrites it over whatever the journal held.
    private HistoryRebuild ReplayJournal(SlotRecord newest)
    {
        IReadOnlyList<HistoryLine> tail;
        int unreadableLine;
        try
        {
            tail = History.ReadTail(newest.Generation, out unreadableLine);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new HistoryRebuild(newest, 0, $"its end cannot be read ({e.Message})");
        }

        return HistoryRecovery.ReplayTail(tail, unreadableLine, newest);
    }

    private bool JournalOnly(Transition t) =>
        _stateCurrent && t.Event is BootObserved && t.Actions.Count == 0 && _journal < MaxJournalLines;

    private SlotRecord? TryRead(string path, out string problem)
    {
        problem = "missing";
        if (!storage.FileExists(path))
        {
            return null;
        }

        try
        {
            return StateFileCodec.Decode(storage.ReadAllBytes(path));
        }
        catch (StateFileException e)
        {
            problem = e.Message;
            return null;
        }
        catch (IOException e)
        {
            problem = "unreadable: " + e.Message;
            return null;
        }
    }
}
