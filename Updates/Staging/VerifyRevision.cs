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
/// Use case "verify": every check `fetch` makes before staging, on a commit already in the medium's
/// repository, against the record as it is. Writes nothing.
/// </summary>
public static class VerifyRevision
{
    public static Verdict Run(MediumLayout layout, BootParameters parameters, string revision)
    {
        var policy = UpdateFetcher.PolicyFor(parameters);
        var record = new YamlSlotStore(new PosixMediumStorage(), layout).Load().Record;
        using var repository = UpdateFetcher.OpenRepository(layout);
        var candidate = Resolve(repository, revision);
        try
        {
            return CandidateVerifier.Verify(repository, candidate, record, policy, pinned: parameters.UpdateRevision == candidate);
        }
        catch (LibGit2SharpException e)
        {
            throw new OperationFailedException($"{layout.Repository}: {e.Message}", e);
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
            commit = repository.Refs[text]?.ResolveToDirectReference()?.Target?.Peel<Commit>();
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
