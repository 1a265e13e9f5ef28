namespace Webc.BootSafe.Specs.Fetch.Support;

/// <summary>Real signing identities: an ssh-keygen ed25519 key and a gpg key, in a temp directory.</summary>
public sealed class Signers
{
    public Signers(string dir, string name)
    {
        Directory.CreateDirectory(dir);
        SshKey = Path.Combine(dir, name + "_ed25519");
        Proc.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", SshKey]);
        AllowedSigners = Path.Combine(dir, name + ".allowed_signers");
        File.WriteAllText(AllowedSigners, $"{name}@example.org namespaces=\"git\" {File.ReadAllText(SshKey + ".pub").Trim()}\n");

        GnuPgHome = Path.Combine(dir, name + "-gnupg");
        Directory.CreateDirectory(GnuPgHome);
        Proc.Run("chmod", ["700", GnuPgHome]);
        Proc.Run("gpg", ["--batch", "--passphrase", "", "--quick-gen-key", $"{name} <{name}@example.org>", "rsa2048", "sign", "never"], env: GpgEnv);
        GpgFingerprint = Proc.Run("gpg", ["--batch", "--with-colons", "--list-keys"], env: GpgEnv)
            .Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
        Keyring = Path.Combine(dir, name + ".asc");
        File.WriteAllText(Keyring, Proc.Run("gpg", ["--batch", "--armor", "--export", GpgFingerprint], env: GpgEnv) + "\n");
    }

    public string SshKey { get; }

    public string AllowedSigners { get; }

    public string GnuPgHome { get; }

    public string GpgFingerprint { get; }

    public string Keyring { get; }

    public Dictionary<string, string> GpgEnv => new() { ["GNUPGHOME"] = GnuPgHome };
}
