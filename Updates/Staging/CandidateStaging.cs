using Webc.BootSafe.Git;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Fetch.Update;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Updates.Staging;

/// <summary>
/// Stages a verified candidate under the medium session: the verdict is checked again against the
/// record as it is now (it was reached without the lock), the kernel and initrd are read from the
/// candidate's tree (never from a glob on disk), and staged; the kept refs follow as an effect of
/// the session's transition, as after every transition that moves a revision.
/// </summary>
public static class CandidateStaging
{
    public static Outcome Stage(MediumLayout layout, MediumSession session, Verified verified, SlotRecord verifiedAgainst, bool pinned, BootParameters parameters)
    {
        using var repository = UpdateFetcher.OpenRepository(layout);
        if (session.Record != verifiedAgainst
            && CandidateVerifier.Verify(repository, verified.Revision, session.Record, UpdateFetcher.PolicyFor(parameters), pinned) is not Verified)
        {
            throw new VerificationFailedException($"{verified.Revision} became known-good while it was being fetched; nothing to stage");
        }

        KernelImages images;
        using (var reader = CommitReader.Open(repository.Info.Path))
        {
            images = KernelImages.FromCommit(repository.Info.Path, reader, verified.Kernel);
        }

        Outcome outcome;
        try
        {
            outcome = new StageRevision(session).Stage(verified.Revision, images, force: false, DateTimeOffset.UtcNow);
        }
        catch (CorruptRepositoryException e)
        {
            throw new VerificationFailedException($"{verified.Kernel.KernelPath}, {verified.Kernel.InitrdPath}: {e.Message}", e);
        }

        return outcome;
    }
}
