using Org.BouncyCastle.Bcpg.OpenPgp;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Fetch.Verification;

/// <summary>The keys whose signatures we accept, from the files config.yaml names.</summary>
public sealed record TrustedKeys(IReadOnlyList<SshTrustedKey> Ssh, PgpPublicKeyRingBundle? OpenPgp)
{
    public static TrustedKeys None { get; } = new([], null);

    public bool IsEmpty => Ssh.Count == 0 && (OpenPgp is null || OpenPgp.Count == 0);

    public static TrustedKeys Load(BootParameters parameters)
    {
        var ssh = parameters.SshAllowedSigners is { } signers
            ? AllowedSignersFile.Parse(ReadKeyFile(signers, ParameterKeys.SshAllowedSigners), signers)
            : [];
        PgpPublicKeyRingBundle? pgp = null;
        if (parameters.OpenPgpKeyring is { } keyring)
        {
            ReadKeyFile(keyring, ParameterKeys.OpenPgpKeyring);
            try
            {
                using var stream = File.OpenRead(keyring);
                pgp = OpenPgpSignatureVerifier.ReadKeyring(stream);
            }
            catch (Exception e) when (e is IOException or PgpException)
            {
                throw new BadInputException($"{ParameterKeys.OpenPgpKeyring} {keyring}: not an OpenPGP public keyring: {e.Message}", e);
            }
        }

        return new TrustedKeys(ssh, pgp);
    }

    private static string ReadKeyFile(string path, string key) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new BadInputException($"{key} {path}: no such file");
}
