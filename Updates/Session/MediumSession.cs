using Webc.BootSafe.Bootloader;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Bootloader.Applying;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Updates.Session;

/// <summary>
/// A use case's hold on the medium: the exclusive lock, the record loaded once under it, and
/// <see cref="Fire"/>, the one place an event is fired and its actions carried out, in the crash-safe
/// order of docs/crash-safety.md: prepare (refuse before any write), disarm and rewrite extlinux.conf,
/// commit the record, arm boot-once, prune. Dispose releases the lock.
/// </summary>
public sealed class MediumSession : IDisposable
{
    /// <summary>How long a second invocation waits for the lock before failing.</summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(10);

    private readonly IDisposable? _lock;
    private readonly ISlotStore _store;
    private readonly IRevisionRefs? _refs;
    private readonly ITransitionObserver? _observer;

    private MediumSession(IDisposable? held, ISlotStore store, MediumBootloader? bootloader, BootloaderApplier applier, IRevisionRefs? refs, ITransitionObserver? observer = null)
    {
        _lock = held;
        _store = store;
        _refs = refs;
        _observer = observer;
        Bootloader = bootloader;
        Applier = applier;
        var load = store.Load();
        Record = load.Record;
        Recovery = load.Recovery;
        Doubt = load.Doubt;
    }

    /// <summary>The record as committed by the last <see cref="Fire"/> (or as loaded).</summary>
    public SlotRecord Record { get; private set; }

    /// <summary>Non-null when the newest state file was unreadable and the previous generation was used.</summary>
    public string? Recovery { get; }

    /// <summary>Non-null when the history holds a newer transition than the recovered record that could not be verified.</summary>
    public string? Doubt { get; }

    /// <summary>The medium's bootloader (null for a session over in-memory parts).</summary>
    public MediumBootloader? Bootloader { get; }

    public BootloaderApplier Applier { get; }

    /// <summary>
    /// Takes the lock (waiting at most <paramref name="lockTimeout"/>) and loads the record once.
    /// Throws OperationFailedException when the medium was never initialized, the lock stays busy, or
    /// no generation is readable.
    /// </summary>
    public static MediumSession Open(
        MediumLayout layout,
        IMediumStorage storage,
        TimeSpan? lockTimeout = null,
        BootEntryOptions? options = null,
        IFileSystemProbe? fileSystems = null) =>
        Open(layout, storage, lockTimeout, options, fileSystems, new RepositoryRefs(layout.Repository, storage), Fleet.TransitionReports.ParsedSetsReportUrl);

    /// <summary>
    /// As <see cref="Open(MediumLayout, IMediumStorage, TimeSpan?, BootEntryOptions?, IFileSystemProbe?)"/>
    /// for a boot's select, which never opens the repository: a boot must not depend on libgit2 or on the
    /// repository's health, and webc-bootsafe-select links no libgit2 (issue 17). The only revision a
    /// boot moves is the trial's, out of the record on a rollback; refs/bootsafe/trial then names the
    /// failed trial (it only keeps that commit reachable) until the next stage or fetch re-derives the refs.
    /// Nor does it parse YAML: whether config.yaml sets report-url is read as <see cref="Fleet.TransitionReports"/> says.
    /// </summary>
    public static MediumSession OpenForBoot(MediumLayout layout, IMediumStorage storage, IFileSystemProbe? fileSystems = null) =>
        Open(layout, storage, null, null, fileSystems, refs: null, parseConfig: null);

    private static MediumSession Open(
        MediumLayout layout,
        IMediumStorage storage,
        TimeSpan? lockTimeout,
        BootEntryOptions? options,
        IFileSystemProbe? fileSystems,
        IRevisionRefs? refs,
        Func<string, string, bool>? parseConfig)
    {
        if (!storage.DirectoryExists(layout.BootSafe))
        {
            throw new OperationFailedException($"{layout.BootSafe} does not exist: this medium was never initialized (run `webc-bootsafe init --revision SHA`)");
        }

        var held = MediumLock.Acquire(layout.LockFile, lockTimeout ?? DefaultLockTimeout);
        try
        {
            var bootloader = new MediumBootloader(layout, storage, options, fileSystems);
            return new MediumSession(held, new YamlSlotStore(storage, layout), bootloader, bootloader.Applier, refs, new Fleet.TransitionReports(layout, storage, parseConfig));
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>A session over parts the caller owns (in-memory specs; <paramref name="held"/> is released with the session).</summary>
    public static MediumSession Over(ISlotStore store, BootloaderApplier applier, IDisposable? held = null, IRevisionRefs? refs = null, ITransitionObserver? observer = null) =>
        new(held, store, null, applier, refs, observer);

    /// <summary>
    /// Fires <paramref name="e"/> on <see cref="Record"/> and carries out the transition. Throws
    /// <see cref="TransitionRefusedException"/>, or the reason a precondition fails, with nothing written.
    /// </summary>
    public Outcome Fire(SlotEvent e, DateTimeOffset now)
    {
        Transition transition;
        try
        {
            transition = SlotMachine.Fire(Record, e, now);
        }
        catch (TransitionRefusedException refused)
        {
            RecordRefusal(e, refused.Message, now);
            throw;
        }

        var work = Applier.Prepare(transition);
        var log = new ApplyLog();
        Applier.BeforeCommit(work, log);
        _store.Commit(transition);
        Record = transition.After;
        log.Step($"committed state {transition.After.State.Name()} (generation {transition.After.Generation})");
        Applier.AfterCommit(work, log);
        if (RevisionsChanged(transition))
        {
            FollowRefs(transition.After, log);
        }

        foreach (var warning in _observer?.Transitioned(transition) ?? [])
        {
            log.Warn(warning);
        }

        var reboot = transition.Actions.OfType<Reboot>().FirstOrDefault()?.Reason;
        return new Outcome(transition, log.Steps, log.PrunedFiles, log.Warnings, reboot, Recovery);
    }

    /// <summary>
    /// Leaves a history line saying <paramref name="e"/> was refused and why; the record is unchanged.
    /// Precondition failures of the bootloader are not logged here: they promise that nothing was written.
    /// </summary>
    public void RecordRefusal(SlotEvent e, string reason, DateTimeOffset now) =>
        RecordRefusal(e.Trigger.ToString(), e switch
        {
            Stage s => s.Revision,
            BootObserved b => b.Revision,
            Unfail u => u.Revision,
            _ => null,
        }, reason, now);

    /// <summary>Leaves a history line saying <paramref name="what"/> (an event, or <c>Fetch</c>) was refused; the record is unchanged.</summary>
    public void RecordRefusal(string what, Revision? revision, string reason, DateTimeOffset now)
    {
        _store.RecordRefusal(Record, what, revision?.Sha, reason, now);

        // A refusal has no outcome to carry a warning: a report that could not be queued is dropped.
        _ = _observer?.Refused(Record, what, revision, reason, now);
    }

    public void Dispose() => _lock?.Dispose();

    // A boot, a count or a failed-set change names the same revisions: the refs already follow them
    // (or a repair is owed since a crash, which the next transition that moves a revision, or the next
    // fetch, makes). Skipping keeps libgit2 off the boot path (issue 17).
    private static bool RevisionsChanged(Transition t) =>
        t.Before.KnownGood != t.After.KnownGood || t.Before.Trial != t.After.Trial || t.Before.Previous != t.After.Previous;

    // After the commit, as an effect of every transition that moves a revision: the record is the truth and the refs only
    // keep its revisions reachable, so a failure here is a warning (the next transition repairs it).
    private void FollowRefs(SlotRecord after, ApplyLog log)
    {
        if (_refs is null)
        {
            return;
        }

        try
        {
            _refs.Follow(after);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException || e.GetType().FullName?.StartsWith("LibGit2Sharp.", StringComparison.Ordinal) == true)
        {
            log.Warn($"refs/bootsafe/* not updated ({e.Message.ReplaceLineEndings(" ")}); the next transition or fetch updates them");
        }
    }
}
