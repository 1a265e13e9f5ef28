using Org.BouncyCastle.Bcpg.OpenPgp;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Fetch.Verification;

/// <summary>The keys whose signatures we accept, from the files config.yaml names.</summary>
public sealed record TrustedKeys(AllowedSigners Ssh, PgpPublicKeyRingBundle? OpenPgp)
{
    public static TrustedKeys None { get; } = new(AllowedSigners.None, null);

    public bool IsEmpty => Ssh.Signers.Count == 0 && (OpenPgp is null || OpenPgp.Count == 0);

    public static TrustedKeys Load(BootParameters parameters)
    {
        var ssh = parameters.SshAllowedSigners is { } signers
            ? AllowedSignersFile.Parse(ReadKeyBytes(signers, ParameterKeys.SshAllowedSigners), signers)
            : AllowedSigners.None;
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

    private static byte[] ReadKeyBytes(string path, string key) =>
        File.Exists(path) ? File.ReadAllBytes(path) : throw new BadInputException($"{key} {path}: no such file");

    private static string ReadKeyFile(string path, string key) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new BadInputException($"{key} {path}: no such file");
}
