using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Webc.BootSafe.Fetch.Verification;

/// <summary>
/// Verifies an armored detached OpenPGP signature in-process with BouncyCastle (no gpg), and, as gpg
/// and git do, refuses it when the key (or signing subkey) is revoked or expired now, or the
/// signature itself has expired (see <see cref="OpenPgpKeyValidity"/>).
/// </summary>
public static class OpenPgpSignatureVerifier
{
    public const string Armor = "-----BEGIN PGP SIGNATURE-----";

    /// <summary>The signer's user id (or key id); throws when the signature is not by a trusted key or does not match.</summary>
    public static string Verify(string armored, byte[] payload, PgpPublicKeyRingBundle? trusted, DateTimeOffset now)
    {
        PgpSignature signature;
        try
        {
            using var input = PgpUtilities.GetDecoderStream(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(armored)));
            var factory = new PgpObjectFactory(input);
            var obj = factory.NextPgpObject();
            if (obj is PgpCompressedData compressed)
            {
                obj = new PgpObjectFactory(compressed.GetDataStream()).NextPgpObject();
            }

            signature = obj is PgpSignatureList { Count: > 0 } list
                ? list[0]
                : throw new VerificationFailedException("the OpenPGP signature block holds no signature");
        }
        catch (Exception e) when (e is IOException or PgpException)
        {
            throw new VerificationFailedException("the OpenPGP signature cannot be read", e);
        }

        var keyId = signature.KeyId.ToString("X16", System.Globalization.CultureInfo.InvariantCulture);
        var key = trusted?.GetPublicKey(signature.KeyId)
            ?? throw new VerificationFailedException($"signed by an untrusted OpenPGP key ({keyId})");

        bool good;
        try
        {
            signature.InitVerify(key);
            signature.Update(payload);
            good = signature.Verify();
        }
        catch (PgpException e)
        {
            throw new VerificationFailedException($"the OpenPGP signature by {keyId} cannot be checked: {e.Message}", e);
        }

        if (!good)
        {
            throw new VerificationFailedException($"the OpenPGP signature by {keyId} does not match the commit (tampered?)");
        }

        var primary = trusted.GetPublicKeyRing(signature.KeyId).GetPublicKey();
        if (OpenPgpKeyValidity.Refusal(primary, key, now) is { } refusal)
        {
            throw new VerificationFailedException(refusal);
        }

        var lifetime = signature.GetHashedSubPackets()?.GetSignatureExpirationTime() ?? 0;
        var created = new DateTimeOffset(DateTime.SpecifyKind(signature.CreationTime, DateTimeKind.Utc));
        if (lifetime > 0 && created.AddSeconds(lifetime) <= now)
        {
            throw new VerificationFailedException($"the OpenPGP signature by {keyId} expired on {OpenPgpKeyValidity.Day(created.AddSeconds(lifetime))}");
        }

        return OpenPgpKeyValidity.Name(primary) + (primary.KeyId == key.KeyId ? string.Empty : $" subkey {keyId}");
    }

    public static PgpPublicKeyRingBundle ReadKeyring(Stream armoredOrBinary) =>
        new(PgpUtilities.GetDecoderStream(armoredOrBinary));
}
