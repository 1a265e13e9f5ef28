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
/// 1. append the transition to history.log and fsync it;
/// 2. replace state.yaml.prev with the Before record;
/// 3. replace state.yaml with the After record.
/// At every instant state.yaml holds Before or After and state.yaml.prev holds a valid generation, so
/// one unreadable file always leaves the other. A cut after step 1 leaves the history one line ahead
/// of the state: that transition did not happen (its actions were never carried out), and
/// <see cref="HistoryLog.Verify"/> tolerates exactly that line.
/// </remarks>
public sealed class YamlSlotStore(IMediumStorage storage, MediumLayout layout) : ISlotStore
{
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
        var newest = TryRead(layout.StateFile, out var newestProblem);
        if (newest is not null)
        {
            return new StoreLoad(newest, null);
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
        storage.ReplaceAtomically(layout.PreviousStateFile, StateFileCodec.Encode(transition.Before));
        storage.ReplaceAtomically(layout.StateFile, StateFileCodec.Encode(transition.After));
    }

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
