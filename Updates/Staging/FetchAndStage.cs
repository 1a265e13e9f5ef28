using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Fetch.Git;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Fetch.Update;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Updates.Staging;

/// <summary>
/// Use case "fetch and stage" (`fetch [--stage]`). noupgrade stops first. The transfer and the
/// verification run under the fetch lock only, never the medium's slot lock, so a stalled server
/// cannot keep `select` or `confirm` waiting. The fetch lock is a flock of the repository directory
/// itself, so it creates no file: a refused fetch leaves the medium byte-identical. Staging then opens the medium session and checks the
/// candidate again against the record as it is now (a confirm may have promoted meanwhile).
/// </summary>
public sealed class FetchAndStage(MediumLayout layout, IMediumStorage storage, Func<MediumSession> openSession)
{
    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a second fetch waits for the first before giving up.</summary>
    public TimeSpan FetchLockTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Told when staging begins: the log then shows whether a cut-off run died before or while the
    /// boot medium was being written, which the summary at the end cannot say.
    /// </summary>
    public Action<string>? Note { get; init; }

    /// <summary>See <see cref="UpdateFetcher.OnOverrun"/>: the CLI ends the process.</summary>
    public Action<string>? OnOverrun { get; init; }

    /// <summary>Rollout waves (issue 18): a verified release is taken only once this kiosk's wave is open.</summary>
    public Fleet.RolloutGate? Rollout { get; init; }

    /// <summary>A libgit2 failure is reported as the medium repository's (exit 1), not as a bare git error.</summary>
    public UpdateResult Run(BootParameters parameters, bool stage, IProgress<TransferSnapshot>? progress)
    {
        try
        {
            return FetchThenStage(parameters, stage, progress);
        }
        catch (LibGit2Sharp.LibGit2SharpException e)
        {
            throw new OperationFailedException($"{layout.Repository}: {e.Message}", e);
        }
    }

    private UpdateResult FetchThenStage(BootParameters parameters, bool stage, IProgress<TransferSnapshot>? progress)
    {
        if (parameters.NoUpgrade)
        {
            var where = parameters.Sources.TryGetValue(ParameterKeys.NoUpgrade, out var s) ? s.Origin : "parameters";
            return new UpdateResult($"noupgrade is set ({where}): not fetching; nothing changed", null, null);
        }

        if (!Directory.Exists(layout.Repository))
        {
            // The fetch lock is a flock of this directory: say what is wrong instead of failing to lock it.
            throw new OperationFailedException($"{layout.Repository} is not a git repository (is {layout.Root} a boot medium?)");
        }

        if (storage.Space(layout.Root).ReadOnly)
        {
            // A medium the initramfs could only mount read-only (a write-protected stick): say so
            // before a download that could never be kept.
            throw new OperationFailedException($"Not a writable boot medium: {layout.Root} is mounted read-only; updates are off, nothing was fetched");
        }

        FetchOutcome outcome;
        SlotRecord record;
        using (MediumLock.AcquireDirectory(layout.Repository, FetchLockTimeout))
        {
            record = new YamlSlotStore(storage, layout).Load().Record;
            var fetcher = new UpdateFetcher(layout, storage) { Backoff = Backoff, OnOverrun = OnOverrun };
            try
            {
                outcome = fetcher.FetchAndVerify(parameters, record, progress);
            }
            catch (VerificationFailedException refused)
            {
                RecordRefusal(refused);
                throw;
            }
        }

        if (outcome.Verdict is UpToDate up)
        {
            return new UpdateResult($"up to date: {up.Revision} is known-good", outcome, null);
        }

        var verified = (Verified)outcome.Verdict;
        var what = $"{verified.Revision} verified ({verified.Signer}; {verified.Kernel.KernelPath}, {verified.Kernel.InitrdPath}; {verified.ObjectsChecked} objects checked{(verified.IsDowngrade ? "; pinned downgrade allowed" : "")})";
        // An operator's update-revision pin is a choice for this kiosk: waves do not hold it back.
        string? notYet;
        try
        {
            notYet = outcome.Pinned ? null : (Rollout ?? new Fleet.RolloutGate(layout)).NotYet(verified.Revision);
        }
        catch (VerificationFailedException refused)
        {
            RecordRefusal(refused);
            throw;
        }

        if (notYet is not null)
        {
            return new UpdateResult($"{verified.Revision} verified; {notYet}", outcome, null);
        }

        if (!stage)
        {
            return new UpdateResult(what + "; not staged (use --stage)", outcome, null);
        }

        using var session = openSession();
        Note?.Invoke($"{verified.Revision} verified; staging it as trial");
        Outcome staged;
        try
        {
            staged = CandidateStaging.Stage(layout, session, verified, record, outcome.Pinned, parameters);
        }
        catch (VerificationFailedException refused)
        {
            session.RecordRefusal("Fetch", verified.Revision, refused.Message, DateTimeOffset.UtcNow);
            throw;
        }

        return new UpdateResult(what + $"; staged as trial (state {staged.Transition.After.State})", outcome, staged);
    }

    /// <summary>
    /// A candidate refused by verification is a refusal like any other: its reason goes to the
    /// history, under the medium lock (the transfer ran without it), and state.yaml is not touched.
    /// When the medium lock cannot be had the refusal still stands; only its history line is lost.
    /// </summary>
    private void RecordRefusal(VerificationFailedException refused)
    {
        try
        {
            using var session = openSession();
            session.RecordRefusal("Fetch", null, refused.Message, DateTimeOffset.UtcNow);
        }
        catch (Exception e) when (e is Medium.Errors.OperationFailedException or IOException or UnauthorizedAccessException)
        {
            Note?.Invoke($"could not record the refusal in the history: {e.Message}");
        }
    }
}
