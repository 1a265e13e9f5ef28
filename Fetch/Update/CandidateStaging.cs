using LibGit2Sharp;
using Webc.BootSafe.Bootloader.Applying;
using Webc.BootSafe.Fetch.Git;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Fetch.Update;

/// <summary>
/// Hands a verified candidate's kernel and initrd (read from its tree, never from a glob on disk)
/// to the Bootloader's stager, which writes them, fires Stage and arms boot-once; then points the
/// kept refs at the new record's revisions.
/// </summary>
public static class CandidateStaging
{
    public static AppliedTransition Stage(MediumLayout layout, Verified verified, Stager stager)
    {
        using var repository = UpdateFetcher.OpenRepository(layout);
        var kernel = Content(repository, verified.Kernel.Kernel, verified.Kernel.KernelPath);
        var initrd = Content(repository, verified.Kernel.Initrd, verified.Kernel.InitrdPath);
        var applied = stager.Stage(verified.Revision, kernel, initrd);
        KeptRefs.Sync(repository, applied.Transition.After);
        return applied;
    }

    private static byte[] Content(Repository repository, ObjectId id, string path)
    {
        var blob = repository.Lookup<Blob>(id)
            ?? throw new VerificationFailedException($"{path} ({id.Sha}) is missing from the repository");
        using var stream = blob.GetContentStream();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
