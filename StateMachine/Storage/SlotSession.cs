using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.StateMachine.Storage;

/// <summary>
/// A mutating command's hold on the medium: the exclusive lock, the record loaded under it, and
/// <see cref="Fire"/> to apply one event and commit it. Dispose releases the lock.
/// </summary>
/// <example>
/// <code>
/// using var session = SlotSession.Open(layout, storage, SlotSession.DefaultLockTimeout);
/// var t = session.Fire(new Stage(revision), DateTimeOffset.UtcNow);   // persisted when it returns
/// bootloader.Apply(t.Actions);                                         // then carry out its actions
/// </code>
/// </example>
public sealed class SlotSession : IDisposable
{
    /// <summary>How long a second invocation waits for the lock before failing.</summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(10);

    private readonly MediumLock _lock;

    private SlotSession(MediumLock held, YamlSlotStore store, StoreLoad load)
    {
        _lock = held;
        Store = store;
        Record = load.Record;
        Recovery = load.Recovery;
    }

    /// <summary>The record as committed by the last <see cref="Fire"/> (or as loaded).</summary>
    public SlotRecord Record { get; private set; }

    /// <summary>Non-null when the newest state file was unreadable and the previous generation was used.</summary>
    public string? Recovery { get; }

    public YamlSlotStore Store { get; }

    /// <summary>
    /// Takes the lock (waiting at most <paramref name="lockTimeout"/>) and loads the record. Throws
    /// OperationFailedException when the lock is busy or no generation is readable.
    /// </summary>
    public static SlotSession Open(MediumLayout layout, IMediumStorage storage, TimeSpan lockTimeout)
    {
        if (!storage.DirectoryExists(layout.BootSafe))
        {
            throw new Errors.OperationFailedException($"{layout.BootSafe} does not exist: this medium was never initialized (run `webc-bootsafe init --revision SHA`)");
        }

        var held = MediumLock.Acquire(layout.LockFile, lockTimeout);
        try
        {
            var store = new YamlSlotStore(storage, layout);
            return new SlotSession(held, store, store.Load());
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Fires <paramref name="e"/> on <see cref="Record"/> and commits the transition (history, then
    /// state). Throws <see cref="TransitionRefusedException"/>, with nothing written, when refused.
    /// The caller carries out <see cref="Transition.Actions"/> after this returns.
    /// </summary>
    public Transition Fire(SlotEvent e, DateTimeOffset now)
    {
        var transition = SlotMachine.Fire(Record, e, now);
        Store.Commit(transition);
        Record = transition.After;
        return transition;
    }

    public void Dispose() => _lock.Dispose();
}
