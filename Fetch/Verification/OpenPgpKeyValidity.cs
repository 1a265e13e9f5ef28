using System.Globalization;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Webc.BootSafe.Fetch.Verification;

/// <summary>
/// Whether an OpenPGP key may still sign, as gpg judges it when verifying (it reports REVKEYSIG or
/// EXPKEYSIG, and git refuses both): the primary key not revoked and not expired, and a signing
/// subkey bound to it by a valid binding signature, itself not revoked and not expired. Judged at
/// the current time like gpg. Only signatures that verify count (BouncyCastle's IsRevoked and
/// GetValidSeconds look at packets without checking them). Expiry comes from the newest valid
/// self-signature, so an expiry extended or removed with gpg --quick-set-expire is honoured.
/// </summary>
public static class OpenPgpKeyValidity
{
    private static readonly int[] UserIdCertifications =
    [
        PgpSignature.DefaultCertification, PgpSignature.NoCertification, PgpSignature.CasualCertification, PgpSignature.PositiveCertification,
    ];

    /// <summary>Null when <paramref name="signing"/> may sign at <paramref name="now"/>; otherwise why not, naming the key and the date.</summary>
    public static string? Refusal(PgpPublicKey primary, PgpPublicKey signing, DateTimeOffset now)
    {
        var name = Name(primary);
        if (Newest(primary.GetSignaturesOfType(PgpSignature.KeyRevocation), s => Verifies(s, primary, () => s.VerifyCertification(primary))) is { } revocation)
        {
            return $"the OpenPGP key {name} was revoked on {Day(revocation.CreationTime)}";
        }

        var selfSignature = Newest(SelfCertifications(primary), _ => true);
        if (selfSignature is null)
        {
            return $"the OpenPGP key {name} has no valid self-signature";
        }

        if (Expiry(primary, selfSignature) is { } expired && expired <= now)
        {
            return $"the OpenPGP key {name} expired on {Day(expired)}";
        }

        if (signing.KeyId == primary.KeyId)
        {
            return null;
        }

        var sub = Id(signing);
        if (Newest(signing.GetSignaturesOfType(PgpSignature.SubkeyRevocation), s => Verifies(s, primary, () => s.VerifyCertification(primary, signing))) is { } subRevocation)
        {
            return $"the signing subkey {sub} of OpenPGP key {name} was revoked on {Day(subRevocation.CreationTime)}";
        }

        var binding = Newest(signing.GetSignaturesOfType(PgpSignature.SubkeyBinding), s => Verifies(s, primary, () => s.VerifyCertification(primary, signing)));
        if (binding is null)
        {
            return $"the subkey {sub} is not bound to OpenPGP key {name} by a valid signature";
        }

        return Expiry(signing, binding) is { } subExpired && subExpired <= now
            ? $"the signing subkey {sub} of OpenPGP key {name} expired on {Day(subExpired)}"
            : null;
    }

    /// <summary>"user id (KEYID)" or the key id alone.</summary>
    public static string Name(PgpPublicKey primary)
    {
        var user = primary.GetUserIds().FirstOrDefault();
        return user is null ? Id(primary) : $"{user} ({Id(primary)})";
    }

    public static string Id(PgpPublicKey key) => key.KeyId.ToString("X16", CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static IEnumerable<PgpSignature> SelfCertifications(PgpPublicKey primary)
    {
        foreach (var user in primary.GetUserIds())
        {
            foreach (var s in primary.GetSignaturesForId(user) ?? [])
            {
                if (UserIdCertifications.Contains(s.SignatureType) && Verifies(s, primary, () => s.VerifyCertification(user, primary)))
                {
                    yield return s;
                }
            }
        }

        foreach (var s in primary.GetSignaturesOfType(PgpSignature.DirectKey))
        {
            if (Verifies(s, primary, () => s.VerifyCertification(primary)))
            {
                yield return s;
            }
        }
    }

    private static DateTimeOffset? Expiry(PgpPublicKey key, PgpSignature selfSignature)
    {
        var seconds = selfSignature.GetHashedSubPackets()?.GetKeyExpirationTime() ?? 0;
        return seconds > 0 ? new DateTimeOffset(DateTime.SpecifyKind(key.CreationTime, DateTimeKind.Utc)).AddSeconds(seconds) : null;
    }

    private static PgpSignature? Newest(IEnumerable<PgpSignature> signatures, Func<PgpSignature, bool> valid) =>
        signatures.Where(valid).OrderByDescending(s => s.CreationTime).FirstOrDefault();

    private static bool Verifies(PgpSignature signature, PgpPublicKey by, Func<bool> check)
    {
        if (signature.KeyId != by.KeyId)
        {
            return false;
        }

        try
        {
            signature.InitVerify(by);
            return check();
        }
        catch (PgpException)
        {
            return false;
        }
    }
}
