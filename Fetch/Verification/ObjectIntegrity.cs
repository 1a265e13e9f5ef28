using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;

namespace Webc.BootSafe.Fetch.Verification;

/// <summary>
/// Reads every object reachable from a commit and checks it hashes to its id. libgit2 checks trees
/// and commits as it parses them (strict hash verification); blobs we hash ourselves, streaming, so
/// a corrupted medium is found before anything boots from it.
/// </summary>
public static class ObjectIntegrity
{
    public static long Check(Repository repository, Commit tip)
    {
        var seen = new HashSet<ObjectId>();
        long count = 0;
        try
        {
            foreach (var commit in repository.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = tip }))
            {
                count++;
                count += Walk(commit.Tree, seen);
            }
        }
        catch (LibGit2SharpException e)
        {
            throw new VerificationFailedException($"commit {tip.Sha}: an object reachable from it is missing or corrupt: {e.Message}", e);
        }

        return count;
    }

    private static long Walk(Tree tree, HashSet<ObjectId> seen)
    {
        if (!seen.Add(tree.Id))
        {
            return 0;
        }

        long count = 1;
        foreach (var entry in tree)
        {
            switch (entry.TargetType)
            {
                case TreeEntryTargetType.Tree:
                    count += Walk((Tree)entry.Target, seen);
                    break;
                case TreeEntryTargetType.Blob when seen.Add(entry.Target.Id):
                    CheckBlob((Blob)entry.Target);
                    count++;
                    break;
            }
        }

        return count;
    }

    private static void CheckBlob(Blob blob)
    {
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(Encoding.ASCII.GetBytes($"blob {blob.Size}\0"));
        using var content = blob.GetContentStream();
        var buffer = new byte[81920];
        int read;
        long total = 0;
        while ((read = content.Read(buffer, 0, buffer.Length)) > 0)
        {
            sha1.AppendData(buffer, 0, read);
            total += read;
        }

        var actual = Convert.ToHexStringLower(sha1.GetHashAndReset());
        if (total != blob.Size || actual != blob.Sha)
        {
            throw new VerificationFailedException($"blob {blob.Sha} is corrupt: its content hashes to {actual}");
        }
    }
}
