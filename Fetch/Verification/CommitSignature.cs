using LibGit2Sharp;
using Webc.BootSafe.Fetch.Verification.Native;

namespace Webc.BootSafe.Fetch.Verification;

/// <summary>Checks that a commit carries a valid signature by a trusted key (SSH or OpenPGP).</summary>
public static class CommitSignature
{
    /// <summary>Who signed, or "unsigned (allowed)"; throws <see cref="VerificationFailedException"/> otherwise.</summary>
    public static string Check(Repository repository, ObjectId commit, TrustedKeys keys, bool allowUnsigned)
    {
        // Not LibGit2Sharp's Commit.ExtractSignature: it returns null in the NativeAOT binary (SignedCommit says why).
        var signed = SignedCommit.Extract(repository.Info.Path, commit.Sha);
        if (signed is null)
        {
            return allowUnsigned
                ? "unsigned (allow-unsigned: true)"
                : throw new VerificationFailedException($"commit {commit.Sha} is not signed, and require-signature is on");
        }

        // A present signature is always checked, even on an allow-unsigned channel: a bad one means tampering.
        var payload = signed.SignedData;
        var signature = signed.Signature;
        try
        {
            if (signature.Contains(SshSignatureVerifier.Armor, StringComparison.Ordinal))
            {
                // Key validity (valid-after/valid-before, OpenPGP expiry and revocation) is judged now, not at the committer date.
                return "ssh:" + SshSignatureVerifier.Verify(signature, payload, keys.Ssh, DateTimeOffset.UtcNow);
            }

            if (signature.Contains(OpenPgpSignatureVerifier.Armor, StringComparison.Ordinal))
            {
                return "openpgp:" + OpenPgpSignatureVerifier.Verify(signature, payload, keys.OpenPgp, DateTimeOffset.UtcNow);
            }
        }
        catch (VerificationFailedException e)
        {
            throw new VerificationFailedException($"commit {commit.Sha}: {e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new VerificationFailedException($"commit {commit.Sha}: malformed signature: {e.Message}", e);
        }

        throw new VerificationFailedException($"commit {commit.Sha} has a signature of an unknown kind (neither SSH nor OpenPGP)");
    }
}
