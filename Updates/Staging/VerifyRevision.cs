using LibGit2Sharp;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Fetch.Update;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Updates.Staging;

/// <summary>
/// Use case "verify", and the checks `stage` makes: every check `fetch` makes before staging
/// (<see cref="CandidateVerifier"/>, the one home of them), on a commit already in a repository,
/// against the record as it is. Writes nothing.
/// </summary>
public static class VerifyRevision
{
    /// <summary>`verify REV`: known-good is verified like any other revision (never "up to date" unchecked).</summary>
    public static Verdict Run(MediumLayout layout, BootParameters parameters, string revision)
    {
        var record = new YamlSlotStore(new PosixMediumStorage(), layout).Load().Record;
        using var repository = UpdateFetcher.OpenRepository(layout);
        return Check(repository, parameters, Resolve(repository, revision), record, evenIfKnownGood: true);
    }

    /// <summary>
    /// The checks `stage` makes on <paramref name="revision"/> in <paramref name="repositoryPath"/>
    /// (the medium's repository, or `--repo`). Whether it failed before is left to the machine,
    /// which refuses it (with a history line) unless `--force`.
    /// </summary>
    public static Verdict ForStage(string repositoryPath, BootParameters parameters, Revision revision, SlotRecord record)
    {
        if (!Directory.Exists(repositoryPath) || !Repository.IsValid(repositoryPath))
        {
            throw new VerificationFailedException($"{repositoryPath} is not a git repository, so {revision} cannot be verified (stage it from a repository, or give --no-verify)");
        }

        using var repository = new Repository(repositoryPath);
        return Check(repository, parameters, revision, record with { Failed = [] }, evenIfKnownGood: false);
    }

    private static Verdict Check(Repository repository, BootParameters parameters, Revision candidate, SlotRecord record, bool evenIfKnownGood)
    {
        var policy = UpdateFetcher.PolicyFor(parameters);
        try
        {
            return CandidateVerifier.Verify(repository, candidate, record, policy, pinned: parameters.UpdateRevision == candidate, evenIfKnownGood);
        }
        catch (LibGit2SharpException e)
        {
            throw new OperationFailedException($"{repository.Info.Path}: {e.Message}", e);
        }
    }

    private static Revision Resolve(Repository repository, string text)
    {
        if (Revision.TryParse(text, out var revision))
        {
            return revision;
        }

        Commit? commit;
        try
        {
            // LibGit2Sharp throws ArgumentException for a blank name: that is bad input like any other unknown name.
            commit = string.IsNullOrWhiteSpace(text) ? null : repository.Refs[text]?.ResolveToDirectReference()?.Target?.Peel<Commit>();
        }
        catch (LibGit2SharpException)
        {
            commit = null;
        }

        return commit is not null
            ? Revision.Parse(commit.Sha)
            : throw new BadInputException($"REV '{text}' is neither a full commit id nor a ref of {repository.Info.Path}");
    }
}
