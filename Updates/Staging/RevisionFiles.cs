using Webc.BootSafe.Bootloader.Kernels;
using Webc.BootSafe.Git;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Updates.Staging;

/// <summary>
/// A revision's kernel and initrd, located (and streamed later) before anything on the medium changes. From a repository
/// they come through the one commit reader, which first applies the tree rules and the kernel-pair
/// rule fetch applies: a commit fetch would refuse cannot be staged by hand either.
/// </summary>
public sealed record RevisionFiles(Revision Revision, KernelImages Images)
{
    /// <param name="flavour">kernel-flavour from the medium's parameters (as fetch resolves it), or null.</param>
    public static RevisionFiles Read(MediumLayout layout, string revision, string? kernel, string? initrd, string? repo, string? flavour = null)
    {
        if (kernel is not null || initrd is not null)
        {
            if (kernel is null || initrd is null)
            {
                throw new BadInputException("--kernel and --initrd go together");
            }

            return new RevisionFiles(Revision.Parse(revision), new KernelImages(ReadFile(kernel, "--kernel"), ReadFile(initrd, "--initrd")));
        }

        var repository = repo ?? layout.Repository;
        if (!Directory.Exists(repository))
        {
            throw new BadInputException($"--repo {repository} is not a directory (give --repo, or --kernel and --initrd)");
        }

        using var reader = CommitReader.Open(repository);
        Commit commit;
        try
        {
            commit = reader.Resolve(revision);
        }
        catch (BadInputException e)
        {
            throw new BadInputException($"revision {revision} in {repository}: {e.Message}", e);
        }

        var pair = reader.Accept(commit, flavour);
        return new RevisionFiles(Revision.Parse(commit.Id.ToString(), $"revision {revision} in {repository}"), KernelImages.FromCommit(repository, reader, pair));
    }

    private static KernelContent ReadFile(string path, string option) =>
        File.Exists(path) ? KernelContent.FromFile(path) : throw new BadInputException($"{option} {path} does not exist");
}
