using Webc.BootSafe.Git;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Mount.Metadata;

namespace Webc.BootSafe.Fetch.Verification;

/// <summary>
/// Fetch's and install's tree check, read with the one commit reader: every tree (for a fetch, every tree
/// its update changed from known-good) by the one rule set
/// (<see cref="TreeRules"/>, as git fsck --strict judges), the kernel pair by <see cref="KernelPairRule"/>,
/// and <c>.bootsafe/metadata.yaml</c> exactly as `mount` validates it, so nothing is staged that the
/// initramfs would then refuse to mount.
/// </summary>
public static class TreeSanity
{
    /// <param name="repository">The repository (or quarantine, whose alternates reach the medium's objects).</param>
    public static KernelPair Check(string repository, string sha, string? flavour)
    {
        using var reader = CommitReader.Open(repository);
        return Check(reader, sha, flavour);
    }

    /// <param name="accepted">
    /// A revision already accepted whose unchanged subtrees need no second judgement (a fetch's
    /// known-good; see <see cref="CommitReader.CheckTrees"/>); null judges every tree.
    /// </param>
    public static KernelPair Check(CommitReader reader, string sha, string? flavour, string? accepted = null)
    {
        try
        {
            if (!Webc.BootSafe.Git.ObjectId.TryParse(sha, out var id))
            {
                throw new VerificationFailedException($"commit {sha} is not a full commit id");
            }

            var commit = reader.Lookup(id);
            var pair = reader.Accept(commit, flavour, AcceptedTree(reader, accepted));
            CheckMetadata(reader, commit);
            return pair;
        }
        catch (TreeRuleException e)
        {
            throw new VerificationFailedException(e.Message, e);
        }
        catch (CorruptRepositoryException e)
        {
            throw new VerificationFailedException($"commit {sha}: {e.Message}", e);
        }
    }

    private static Webc.BootSafe.Git.ObjectId? AcceptedTree(CommitReader reader, string? accepted)
    {
        if (accepted is null || !Webc.BootSafe.Git.ObjectId.TryParse(accepted, out var id))
        {
            return null;
        }

        try
        {
            return reader.Lookup(id).Tree;
        }
        catch (Exception e) when (e is TreeRuleException or CorruptRepositoryException)
        {
            return null; // known-good's commit damaged or absent: no reason to refuse, judge every tree
        }
    }

    private static void CheckMetadata(CommitReader reader, Commit commit)
    {
        try
        {
            CommitMetadata.Load(reader.Objects, commit);
        }
        catch (BadInputException e)
        {
            throw new VerificationFailedException($"commit {commit.Id}: mount would refuse it: {e.Message}", e);
        }
    }
}
