using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Webc.BootSafe.Fetch.Verification;

/// <summary>Verifies an armored detached OpenPGP signature in-process with BouncyCastle (no gpg).</summary>
public static class OpenPgpSignatureVerifier
{
    public const string Armor = "-----BEGIN PGP SIGNATURE-----";

    /// <summary>The signer's user id (or key id); throws when the signature is not by a trusted key or does not match.</summary>
    public static string Verify(string armored, byte[] payload, PgpPublicKeyRingBundle? trusted)
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

        signature.InitVerify(key);
        signature.Update(payload);
        if (!signature.Verify())
        {
            throw new VerificationFailedException($"the OpenPGP signature by {keyId} does not match the commit (tampered?)");
        }

        var ring = trusted.GetPublicKeyRing(signature.KeyId);
        var user = ring?.GetPublicKey().GetUserIds().FirstOrDefault();
        return user is null ? keyId : $"{user} ({keyId})";
    }

    public static PgpPublicKeyRingBundle ReadKeyring(Stream armoredOrBinary) =>
        new(PgpUtilities.GetDecoderStream(armoredOrBinary));
}
