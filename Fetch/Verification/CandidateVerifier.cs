using LibGit2Sharp;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Fetch.Verification;

/// <summary>
/// Every check a candidate passes before it may be staged, cheapest first: up to date, failed
/// before, signature, ancestry (no downgrade), tree sanity, then the objects: for a fetch only
/// those that arrived (<see cref="ArrivedObjects"/>), otherwise every reachable one.
/// </summary>
public static class CandidateVerifier
{
    /// <param name="pinned">The candidate is an exact update-revision pin (the only way to go back, with allow-downgrade).</param>
    /// <param name="evenIfKnownGood">Check known-good too instead of calling it up to date (`verify`, which must find a corrupted known-good).</param>
    /// <param name="arrived">A fetch: <paramref name="repository"/> is its quarantine, and only what it brings on top of the medium's objects is re-hashed.</param>
    public static Verdict Verify(Repository repository, Revision candidate, SlotRecord record, VerificationPolicy policy, bool pinned, bool evenIfKnownGood = false, ArrivedObjects? arrived = null)
    {
        if (candidate == record.KnownGood && !evenIfKnownGood)
        {
            return new UpToDate(candidate);
        }

        var failed = record.Failed.Find(f => f.Revision == candidate);
        if (failed is not null)
        {
            throw new VerificationFailedException($"commit {candidate} failed before ({failed.Reason}, {failed.At:u}); refusing it again");
        }

        var commit = Find(repository, candidate);
        var signer = CommitSignature.Check(repository, commit.Id, policy.Keys, policy.AllowUnsigned);

        var descends = Descends(repository, commit, record.KnownGood);
        if (!descends && !(pinned && policy.AllowDowngrade))
        {
            var how = pinned
                ? "the update-revision pin needs allow-downgrade: true in config.yaml"
                : "a branch moved backwards (force-pushed?); only an update-revision pin with allow-downgrade: true may do that";
            throw new VerificationFailedException(
                $"downgrade refused: {candidate} does not descend from known-good {record.KnownGood}; {how}");
        }

        var (kernel, objects) = Contents(repository, commit, policy, arrived, arrived is null ? null : record.KnownGood);
        return new Verified(candidate, signer, kernel, !descends, objects);
    }

    /// <summary>
    /// A first install's verification: <see cref="Verify"/>'s checks less those that need a slot
    /// record (up to date, failed before, ancestry), in the same order and by the same code:
    /// signature, tree sanity (metadata.yaml included), every reachable object.
    /// </summary>
    /// <param name="noKeyHint">Added to a failed signature check when no key is trusted (how the caller configures one).</param>
    public static Verified VerifyFirst(Repository repository, Revision candidate, VerificationPolicy policy, string? noKeyHint = null)
    {
        var commit = Find(repository, candidate);
        string signer;
        try
        {
            signer = CommitSignature.Check(repository, commit.Id, policy.Keys, policy.AllowUnsigned);
        }
        catch (VerificationFailedException e) when (noKeyHint is not null && policy.Keys.IsEmpty && !policy.AllowUnsigned)
        {
            throw new VerificationFailedException($"{e.Message}; {noKeyHint}", e);
        }

        var (kernel, objects) = Contents(repository, commit, policy, arrived: null, accepted: null);
        return new Verified(candidate, signer, kernel, IsDowngrade: false, objects);
    }

    private static Commit Find(Repository repository, Revision candidate) =>
        repository.Lookup<Commit>(candidate.Sha)
        ?? throw new VerificationFailedException($"commit {candidate} is not in the repository");

    // The tree, then the objects: for a fetch only those that arrived, otherwise every reachable one;
    // a fetch's tree rules judge what its update changed from known-good (accepted).
    private static (Webc.BootSafe.Git.KernelPair Kernel, long Objects) Contents(Repository repository, Commit commit, VerificationPolicy policy, ArrivedObjects? arrived, Revision? accepted)
    {
        // One reader for both: the re-hash reads again the changed trees the rules just read, and
        // the delta bases that left cached spare it rebuilding their chains.
        using var reader = Webc.BootSafe.Git.CommitReader.Open(repository.Info.Path);
        var kernel = TreeSanity.Check(reader, commit.Sha, policy.KernelFlavour, accepted?.Sha);
        var objects = arrived is null
            ? ObjectIntegrity.Check(repository, commit)
            : arrived.Check(Webc.BootSafe.Git.ObjectId.TryParse(commit.Sha, out var id) ? id : throw new VerificationFailedException($"commit {commit.Sha} is not a full commit id"), reader.Objects);
        return (kernel, objects);
    }

    private static bool Descends(Repository repository, Commit candidate, Revision knownGood)
    {
        var good = repository.Lookup<Commit>(knownGood.Sha);
        if (good is null)
        {
            // Without known-good's history we cannot prove the candidate is newer, so it is not.
            return false;
        }

        var mergeBase = repository.ObjectDatabase.FindMergeBase(candidate, good);
        return mergeBase?.Id == good.Id;
    }
}
