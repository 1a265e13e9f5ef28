using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Webc.BootSafe.Fetch.Verification;

/// <summary>
/// Verifies an armored SSHSIG (OpenSSH PROTOCOL.sshsig) over a commit payload: the signed data is
/// the magic, namespace, reserved and hash-algorithm strings followed by the payload's digest; the
/// signature is ed25519 over that. Done in-process: no ssh-keygen at run time.
/// </summary>
public static class SshSignatureVerifier
{
    public const string Armor = "-----BEGIN SSH SIGNATURE-----";
    private const string Magic = "SSHSIG";
    private const string Namespace = "git";

    /// <summary>The principals of the trusted key that made the signature; throws when none did.</summary>
    public static string Verify(string armored, ReadOnlySpan<byte> payload, IReadOnlyList<SshTrustedKey> trusted)
    {
        var blob = Dearmor(armored);
        var wire = new SshWire(blob);
        if (Encoding.ASCII.GetString(wire.Bytes(6)) != Magic || wire.UInt32() != 1)
        {
            throw new VerificationFailedException("the SSH signature is not an SSHSIG version 1 blob");
        }

        var publicKeyBlob = wire.String();
        var ns = Encoding.ASCII.GetString(wire.String());
        var reserved = wire.String();
        var hashAlgorithm = Encoding.ASCII.GetString(wire.String());
        var signatureBlob = wire.String();

        if (ns != Namespace)
        {
            throw new VerificationFailedException($"the SSH signature is for namespace '{ns}', not '{Namespace}'");
        }

        var keyWire = new SshWire(publicKeyBlob);
        var keyType = Encoding.ASCII.GetString(keyWire.String());
        var publicKey = keyWire.String();
        if (keyType != AllowedSignersFile.Ed25519 || publicKey.Length != 32)
        {
            throw new VerificationFailedException($"the SSH signature uses a {keyType} key; only ssh-ed25519 is supported");
        }

        SshTrustedKey? signer = null;
        foreach (var key in trusted)
        {
            if (key.Matches(publicKey))
            {
                signer = key;
                break;
            }
        }

        if (signer is null)
        {
            throw new VerificationFailedException($"signed by an untrusted SSH key ({Fingerprint(publicKeyBlob)})");
        }

        var sigWire = new SshWire(signatureBlob);
        var sigType = Encoding.ASCII.GetString(sigWire.String());
        var signature = sigWire.String();
        if (sigType != AllowedSignersFile.Ed25519)
        {
            throw new VerificationFailedException($"the SSH signature is of type {sigType}, not ssh-ed25519");
        }

        byte[] digest = hashAlgorithm switch
        {
            "sha512" => SHA512.HashData(payload),
            "sha256" => SHA256.HashData(payload),
            _ => throw new VerificationFailedException($"the SSH signature uses hash '{hashAlgorithm}'"),
        };

        using var signed = new MemoryStream();
        signed.Write(Encoding.ASCII.GetBytes(Magic));
        SshWire.WriteString(signed, Encoding.ASCII.GetBytes(ns));
        SshWire.WriteString(signed, reserved);
        SshWire.WriteString(signed, Encoding.ASCII.GetBytes(hashAlgorithm));
        SshWire.WriteString(signed, digest);

        var key25519 = PublicKey.Import(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey);
        if (!SignatureAlgorithm.Ed25519.Verify(key25519, signed.ToArray(), signature))
        {
            throw new VerificationFailedException($"the SSH signature by {signer.Principals} does not match the commit (tampered?)");
        }

        return signer.Principals;
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
