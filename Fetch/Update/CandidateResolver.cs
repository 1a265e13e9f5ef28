using LibGit2Sharp;
using Webc.BootSafe.Fetch.Git;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Fetch.Update;

/// <summary>Which commit the fetch offers: the update-revision pin, else the fetched branch or tag tip.</summary>
public static class CandidateResolver
{
    public static Revision Resolve(Repository quarantine, BootParameters parameters, string remote)
    {
        if (parameters.UpdateRevision is { } pin)
        {
            return quarantine.Lookup<Commit>(pin.Sha) is not null
                ? pin
                : throw new Verification.VerificationFailedException(
                    $"update-revision {pin} is not on {remote} '{parameters.FetchRevision}' (not in the fetched history)");
        }

        var reference = quarantine.Refs[IncomingRefs.Branch(parameters.FetchRevision)]
            ?? quarantine.Refs[IncomingRefs.Tag(parameters.FetchRevision)]
            ?? throw new Medium.Errors.OperationFailedException(
                $"fetch-revision '{parameters.FetchRevision}' is neither a branch nor a tag on {remote}");
        var commit = reference.ResolveToDirectReference().Target.Peel<Commit>()
            ?? throw new Verification.VerificationFailedException($"fetch-revision '{parameters.FetchRevision}' on {remote} does not name a commit");
        return Revision.Parse(commit.Sha);
    }
}
