using LibGit2Sharp;
using Webc.BootSafe.Fetch.Git;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Fetch.Update;

/// <summary>
/// Fetch, then verify, then (only for an accepted candidate) move its objects into the medium's
/// repository and point <c>refs/bootsafe/fetched</c> at it. A refusal or an abort leaves the
/// repository, its refs and every file on the medium as they were.
/// </summary>
public sealed class UpdateFetcher(MediumLayout layout, IMediumStorage storage)
{
    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Called, with the reason, when the transfer is still running a stall window past its deadline:
    /// a server can trickle bytes inside libgit2 (the ref advertisement, say) where no progress report
    /// reaches us, and a blocked native read cannot be cancelled. The quarantine is already deleted
    /// then; the CLI ends the process. Null (specs in-process): the deadline is checked only in reports.
    /// </summary>
    public Action<string>? OnOverrun { get; init; }

    public FetchOutcome FetchAndVerify(BootParameters parameters, SlotRecord record, IProgress<TransferSnapshot>? progress)
    {
        var remote = parameters.Remote
            ?? throw new BadInputException($"{layout.ConfigFile}: 'remote' is not set, so there is nowhere to fetch from");
        var policy = PolicyFor(parameters);
        using var main = OpenRepository(layout);
        KeptRefsCheck(main);

        // The machine's revisions as "have"s (and safe from gc): only what is new travels. Repaired
        // first, as the quarantine starts from main's refs.
        KeptRefs.Sync(main, storage, record);
        using var quarantine = Quarantine.Open(layout, main);
        KeptRefs.Sync(quarantine.Repository, storage, record);
        var request = new FetchRequest(remote, parameters.FetchRevision, parameters.MaxFetchBytes, parameters.FetchRetries, Backoff)
        {
            Limits = new TransferLimits(
                TimeSpan.FromSeconds(parameters.FetchDeadlineSeconds),
                TimeSpan.FromSeconds(parameters.FetchStallTimeoutSeconds),
                parameters.FetchLowSpeed),
            MaxObjectBytes = parameters.MaxObjectBytes,
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TransferSnapshot? transfer = null;
        if (LocalSource.DirectoryOf(remote) is { } local)
        {
            transfer = LocalSource.Fetch(local, remote, request, layout.Repository, quarantine.Repository, progress);
            if (transfer is not null)
            {
                progress?.Report(transfer);
            }
        }

        if (transfer is null)
        {
            using (Overrun(quarantine, request))
            {
                transfer = GitFetcher.Fetch(quarantine.Repository, request, progress);
            }
        }

        var transferTime = clock.Elapsed;
        var candidate = CandidateResolver.Resolve(quarantine.Repository, parameters, remote);
        var pinned = parameters.UpdateRevision is not null;
        var arrived = new ArrivedObjects(quarantine.Path, layout.Repository);
        var verdict = CandidateVerifier.Verify(quarantine.Repository, candidate, record, policy, pinned, arrived: arrived);
        var verifyTime = clock.Elapsed - transferTime;
        if (verdict is Verified)
        {
            quarantine.Promote(main, storage, arrived.Needed!);
            KeptRefs.Set(main, storage, KeptRefs.Fetched, candidate);
        }

        return new FetchOutcome(verdict, transfer, pinned, transferTime, verifyTime);
    }

    private Timer? Overrun(Quarantine quarantine, FetchRequest request)
    {
        if (OnOverrun is not { } overrun)
        {
            return null;
        }

        var due = request.Limits.Deadline + request.Limits.StallTimeout;
        return new Timer(
            _ =>
            {
                quarantine.Discard();
                overrun($"fetch from {request.Remote} given up: still transferring {due.TotalSeconds:0} s after it started (fetch-deadline {request.Limits.Deadline.TotalSeconds:0} s); nothing was changed");
            },
            null,
            due,
            Timeout.InfiniteTimeSpan);
    }

    public static VerificationPolicy PolicyFor(BootParameters parameters)
    {
        var keys = TrustedKeys.Load(parameters);
        if (keys.IsEmpty && !parameters.AllowUnsigned)
        {
            throw new BadInputException(
                "no trusted keys: set ssh-allowed-signers or openpgp-keyring in config.yaml (or allow-unsigned: true on a test channel)");
        }

        return new VerificationPolicy(keys, parameters.AllowUnsigned, parameters.AllowDowngrade, parameters.KernelFlavour);
    }

    public static Repository OpenRepository(MediumLayout layout) =>
        Directory.Exists(layout.Repository) && Repository.IsValid(layout.Repository)
            ? new Repository(layout.Repository)
            : throw new OperationFailedException($"{layout.Repository} is not a git repository (is {layout.Root} a boot medium?)");

    private static void KeptRefsCheck(Repository main)
    {
        if (main.Info.IsShallow)
        {
            throw new OperationFailedException(
                $"{main.Info.Path} is a shallow repository; BootSafe needs full history to prove an update is newer");
        }
    }
}
