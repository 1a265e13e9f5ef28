using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Webc.BootSafe.Fetch.Verification;

/// <summary>
/// Verifies an armored SSHSIG (OpenSSH PROTOCOL.sshsig) over a commit payload the way
/// <c>git verify-commit</c> does with <c>gpg.ssh.allowedSignersFile</c>: the signature must be good
/// for namespace <c>git</c>, then the key must be trusted by the allowed_signers file as ssh-keygen
/// judges it (find-principals, then verify -I for each principal; see <see cref="AllowedSigners"/>).
/// Done in-process: no ssh-keygen at run time. Only ssh-ed25519 keys; SSH certificates are refused.
/// </summary>
public static class SshSignatureVerifier
{
    public const string Armor = "-----BEGIN SSH SIGNATURE-----";
    public const string Namespace = "git";
    private const string Magic = "SSHSIG";

    /// <summary>
    /// The principal the signature is trusted for; throws when it is not good or not trusted.
    /// <paramref name="now"/> is the time valid-after/valid-before are judged at: the caller passes the
    /// current time (git passes the committer date, which whoever holds the key chooses, so an expired
    /// key could back-date its commits; ssh-keygen -Y verify uses the current time).
    /// </summary>
    public static string Verify(string armored, ReadOnlySpan<byte> payload, AllowedSigners trusted, DateTimeOffset now)
    {
        var publicKey = CheckSignature(armored, payload, out var publicKeyBlob);
        var at = now.ToUnixTimeSeconds();
        return trusted.GitVerify(publicKey, Namespace, at)
            ?? throw new VerificationFailedException($"signed by an untrusted SSH key ({Fingerprint(publicKeyBlob)}) for git commits: {trusted.Explain(publicKey, Namespace, at)}");
    }

    /// <summary>
    /// The signing key, once the signature is a good SSHSIG for namespace git over the payload
    /// (sshsig.c sshsig_wrap_verify); throws otherwise.
    /// </summary>
    public static byte[] CheckSignature(string armored, ReadOnlySpan<byte> payload, out byte[] publicKeyBlob)
    {
        var blob = Dearmor(armored);
        var wire = new SshWire(blob);
        if (Encoding.ASCII.GetString(wire.Bytes(6)) != Magic || wire.UInt32() > 1)
        {
            throw new VerificationFailedException("the SSH signature is not an SSHSIG version 1 blob");
        }

        publicKeyBlob = wire.String().ToArray();
        var ns = Encoding.Latin1.GetString(wire.String());
        wire.String(); // reserved
        var hashAlgorithm = Encoding.Latin1.GetString(wire.String());
        var signatureBlob = wire.String();
        if (!wire.AtEnd)
        {
            throw new VerificationFailedException("the SSH signature has trailing data");
        }

        if (ns != Namespace)
        {
            throw new VerificationFailedException($"the SSH signature is for namespace '{ns}', not '{Namespace}'");
        }

        var keyWire = new SshWire(publicKeyBlob);
        var keyType = Encoding.Latin1.GetString(keyWire.String());
        if (keyType.Contains("-cert-", StringComparison.Ordinal))
        {
            throw new VerificationFailedException($"the commit is signed with an SSH certificate ({keyType}); certificates (cert-authority in allowed_signers) are not supported, sign with a plain ssh-ed25519 key");
        }

        var publicKey = keyWire.String().ToArray();
        if (keyType != AllowedSignersFile.Ed25519 || publicKey.Length != 32 || !keyWire.AtEnd)
        {
            throw new VerificationFailedException($"the SSH signature uses a {keyType} key; only ssh-ed25519 is supported");
        }

        var sigWire = new SshWire(signatureBlob);
        var sigType = Encoding.Latin1.GetString(sigWire.String());
        var signature = sigWire.String();
        if (sigType != AllowedSignersFile.Ed25519 || signature.Length != 64 || !sigWire.AtEnd)
        {
            throw new VerificationFailedException($"the SSH signature is of type {sigType}, not a 64-byte ssh-ed25519 signature");
        }

        byte[] digest = hashAlgorithm switch
        {
            "sha512" => SHA512.HashData(payload),
            "sha256" => SHA256.HashData(payload),
            _ => throw new VerificationFailedException($"the SSH signature uses hash '{hashAlgorithm}'"),
        };

        using var signed = new MemoryStream();
        signed.Write(Encoding.ASCII.GetBytes(Magic));
        SshWire.WriteString(signed, Encoding.ASCII.GetBytes(Namespace));
        SshWire.WriteString(signed, []);
        SshWire.WriteString(signed, Encoding.ASCII.GetBytes(hashAlgorithm));
        SshWire.WriteString(signed, digest);

        var key25519 = PublicKey.Import(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey);
        if (!SignatureAlgorithm.Ed25519.Verify(key25519, signed.ToArray(), signature))
        {
            throw new VerificationFailedException($"the SSH signature by {Fingerprint(publicKeyBlob)} does not match the commit (tampered?)");
        }

        return publicKey;
    }

    public static string Fingerprint(ReadOnlySpan<byte> publicKeyBlob) =>
        "SHA256:" + Convert.ToBase64String(SHA256.HashData(publicKeyBlob)).TrimEnd('=');

    private static byte[] Dearmor(string armored)
    {
        var body = new StringBuilder();
        foreach (var line in armored.Split('\n'))
        {
            var t = line.Trim();
            if (t.Length > 0 && !t.StartsWith("-----", StringComparison.Ordinal))
            {
                body.Append(t);
            }
        }

        try
        {
            return Convert.FromBase64String(body.ToString());
        }
        catch (FormatException e)
        {
            throw new VerificationFailedException("the SSH signature is not valid base64", e);
        }
    }
}
