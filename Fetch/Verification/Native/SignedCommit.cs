using System.Text;
using static Webc.BootSafe.Fetch.Verification.Native.LibGit2Native;

namespace Webc.BootSafe.Fetch.Verification.Native;

/// <summary>A commit's signature header and the exact bytes it signs (the commit object without that header).</summary>
public sealed record SignedCommit(string Signature, byte[] SignedData)
{
    /// <summary>
    /// Reads the <c>gpgsig</c> header of <paramref name="commit"/> in the repository at <paramref name="repositoryPath"/>;
    /// null when the commit is unsigned. The signed bytes stay bytes: re-encoding them through a string
    /// could change what is verified.
    /// </summary>
    public static unsafe SignedCommit? Extract(string repositoryPath, string commit)
    {
        git_libgit2_init();
        nint repository = 0;
        var signature = default(GitBuf);
        var signedData = default(GitBuf);
        try
        {
            var path = Encoding.UTF8.GetBytes(repositoryPath + "\0");
            fixed (byte* p = path)
            {
                Check(git_repository_open(&repository, p), $"cannot open the repository {repositoryPath}");
            }

            var hex = Encoding.ASCII.GetBytes(commit + "\0");
            var oid = stackalloc byte[20];
            fixed (byte* h = hex)
            {
                Check(git_oid_fromstr(oid, h), $"'{commit}' is not a commit id");
            }

            var result = git_commit_extract_signature(&signature, &signedData, repository, oid, null);
            if (result == NotFound)
            {
                return null;
            }

            Check(result, $"cannot read the signature of commit {commit}");
            return new SignedCommit(
                Encoding.UTF8.GetString(new ReadOnlySpan<byte>(signature.Ptr, checked((int)signature.Size))),
                new ReadOnlySpan<byte>(signedData.Ptr, checked((int)signedData.Size)).ToArray());
        }
        finally
        {
            git_buf_dispose(&signature);
            git_buf_dispose(&signedData);
            if (repository != 0)
            {
                git_repository_free(repository);
            }

            git_libgit2_shutdown();
        }
    }

    private static void Check(int result, string what)
    {
        if (result < 0)
        {
            throw new VerificationFailedException($"{what}: {LastError()}");
        }
    }
}
