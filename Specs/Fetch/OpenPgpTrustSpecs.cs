using Webc.BootSafe.Specs.Support;
using LibGit2Sharp;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Specs.Fetch.Support;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// Keys made, expired and revoked by the real gpg 2.2, and commits signed by them with git: our
/// verifier accepts a commit exactly when <c>git verify-commit</c> does (gpg says GOODSIG rather than
/// EXPKEYSIG or REVKEYSIG), and names the key and why when it refuses.
/// </summary>
[Trait("Category", "Fast")]
public sealed class OpenPgpTrustSpecs(OpenPgpTrustSpecs.Keys keys, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<OpenPgpTrustSpecs.Keys>
{
    /// <summary>
    /// One GNUPGHOME with a key per case. Expired keys are made in 2020 with gpg's faked system time
    /// (a 30-day expiry), revoked ones with gpg itself: the revocation certificate gpg stored in
    /// openpgp-revocs.d imported back, and a subkey revoked with --edit-key revkey.
    /// </summary>
    public sealed class Keys : IDisposable
    {
        public const string Past = "20200102T000000";

        private readonly TempDirectory _dir = new("openpgp-trust");

        public Keys()
        {
            Home = _dir.Combine("gnupg");
            Directory.CreateDirectory(Home);
            Proc.Run("chmod", ["700", Home]);
            Repo = _dir.Combine("repo");
            Git(["init", "-q", Repo]);
            Wrapper = _dir.Combine("gpg-now");
            PastWrapper = _dir.Combine("gpg-2020");
            File.WriteAllText(Wrapper, $"#!/bin/sh\nexec gpg --homedir '{Home}' \"$@\"\n");
            File.WriteAllText(PastWrapper, $"#!/bin/sh\nexec gpg --homedir '{Home}' --faked-system-time {Past} \"$@\"\n");
            Proc.Run("chmod", ["700", Wrapper, PastWrapper]);

            Make("valid", "sign", "1y", past: false);
            Commits["valid"] = Commit("valid", Signer("valid"), past: false);

            Make("expired", "sign", "30d", past: true);
            Commits["expired"] = Commit("expired", Signer("expired"), past: true);

            // Expired in 2020, then given a new expiry (none) by gpg --quick-set-expire today: valid again.
            Make("extended", "sign", "30d", past: true);
            Commits["extended"] = Commit("extended", Signer("extended"), past: true);
            Gpg(["--quick-set-expire", Fingerprint("extended"), "0"]);

            Make("revoked", "sign", "never", past: false);
            Commits["revoked"] = Commit("revoked", Signer("revoked"), past: false);
            BeforeRevocation["revoked"] = Gpg(["--armor", "--export", Fingerprint("revoked")]);
            var certificate = File.ReadAllText(Path.Combine(Home, "openpgp-revocs.d", Fingerprint("revoked") + ".rev"))
                .Replace(":-----BEGIN PGP PUBLIC KEY BLOCK-----", "-----BEGIN PGP PUBLIC KEY BLOCK-----", StringComparison.Ordinal);
            File.WriteAllText(_dir.Combine("revoked.rev"), certificate);
            Gpg(["--import", _dir.Combine("revoked.rev")]);

            Make("subkey-revoked", "cert", "never", past: false);
            Gpg(["--quick-add-key", Fingerprint("subkey-revoked"), "ed25519", "sign", "never"]);
            Commits["subkey-revoked"] = Commit("subkey-revoked", SubkeyOf("subkey-revoked") + "!", past: false);
            BeforeRevocation["subkey-revoked"] = Gpg(["--armor", "--export", Fingerprint("subkey-revoked")]);
            Proc.Run("gpg", ["--homedir", Home, "--batch", "--command-fd", "0", "--pinentry-mode", "loopback", "--passphrase", "", "--edit-key", Fingerprint("subkey-revoked")],
                stdin: "key 1\nrevkey\ny\n0\n\ny\nsave\n");

            Make("subkey-expired", "cert", "never", past: true);
            Gpg(["--faked-system-time", Past, "--quick-add-key", Fingerprint("subkey-expired"), "ed25519", "sign", "30d"]);
            Commits["subkey-expired"] = Commit("subkey-expired", SubkeyOf("subkey-expired") + "!", past: true);

            Keyring = _dir.Combine("keyring.asc");
            File.WriteAllText(Keyring, Gpg(["--armor", "--export"]) + "\n");
        }

        public string Home { get; }

        public string Repo { get; }

        public string Wrapper { get; }

        public string PastWrapper { get; }

        public string Keyring { get; }

        public Dictionary<string, string> Commits { get; } = [];

        /// <summary>The armored public key as exported before gpg revoked it (or its subkey).</summary>
        public Dictionary<string, string> BeforeRevocation { get; } = [];

        public string Fingerprint(string name) => Colons(name, "fpr")[0];

        public string SubkeyOf(string name) => Colons(name, "fpr")[1];

        public string Gpg(IEnumerable<string> args) => Proc.Run("gpg", ["--homedir", Home, "--batch", "--passphrase", "", "--pinentry-mode", "loopback", .. args]);

        public string Git(IEnumerable<string> args) => Proc.Run("git", args, Repo is { } r && Directory.Exists(r) ? r : null);

        public void Dispose() => _dir.Dispose();

        private void Make(string name, string usage, string expiry, bool past) =>
            Gpg([.. past ? new[] { "--faked-system-time", "20200101T000000" } : [], "--quick-gen-key", $"{name} <{name}@example.org>", "ed25519", usage, expiry]);

        private string Signer(string name) => Fingerprint(name);

        private string Commit(string message, string signingKey, bool past)
        {
            Git(["-c", "gpg.format=openpgp", "-c", $"gpg.program={(past ? PastWrapper : Wrapper)}", "-c", $"user.signingkey={signingKey}",
                "commit", "-q", "-S", "--allow-empty", "-m", message]);
            return Git(["rev-parse", "HEAD"]);
        }

        private List<string> Colons(string name, string record) =>
            Gpg(["--with-colons", "--list-keys", $"<{name}@example.org>"]).Split('\n')
                .Where(l => l.StartsWith(record + ":", StringComparison.Ordinal)).Select(l => l.Split(':')[9]).ToList();
    }

    private PgpPublicKeyRingBundle Bundle()
    {
        using var stream = File.OpenRead(keys.Keyring);
        return OpenPgpSignatureVerifier.ReadKeyring(stream);
    }

    private (bool Accepted, string Message) Ours(string name)
    {
        using var repository = new Repository(keys.Repo);
        try
        {
            return (true, CommitSignature.Check(repository, new ObjectId(keys.Commits[name]), new TrustedKeys(AllowedSigners.None, Bundle()), allowUnsigned: false));
        }
        catch (VerificationFailedException e)
        {
            return (false, e.Message);
        }
    }

    private bool GitAccepts(string name)
    {
        try
        {
            keys.Git(["-c", $"gpg.program={keys.Wrapper}", "verify-commit", keys.Commits[name]]);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    [Theory]
    [InlineData("valid", true)]
    [InlineData("extended", true)]
    [InlineData("expired", false)]
    [InlineData("revoked", false)]
    [InlineData("subkey-revoked", false)]
    [InlineData("subkey-expired", false)]
    public void A_commit_is_accepted_exactly_when_git_verify_commit_accepts_it(string name, bool accepted)
    {
        Assert.Equal(accepted, GitAccepts(name));
        var (ours, message) = Ours(name);
        Assert.True(ours == accepted, message);
        Assert.DoesNotContain('\n', message);
        output.WriteLine($"{name}: git verify-commit {(accepted ? "accepts" : "refuses")}; ours: {message}");
    }

    [Fact]
    public void An_expired_key_is_refused_naming_the_key_and_the_day_it_expired()
    {
        var (_, message) = Ours("expired");
        Assert.Contains("the OpenPGP key expired <expired@example.org>", message, StringComparison.Ordinal);
        Assert.Contains("expired on 2020-01-31", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_revoked_by_its_revocation_certificate_is_refused_naming_the_key_and_the_day()
    {
        var (_, message) = Ours("revoked");
        Assert.Contains("revoked <revoked@example.org>", message, StringComparison.Ordinal);
        Assert.Contains($"was revoked on {DateTime.UtcNow:yyyy-MM-dd}", message, StringComparison.Ordinal);
        Assert.Contains(keys.Commits["revoked"], message, StringComparison.Ordinal);
    }

    [Fact]
    public void Revoked_and_expired_signing_subkeys_are_refused_naming_the_subkey()
    {
        var revoked = Ours("subkey-revoked").Message;
        Assert.Contains($"signing subkey {keys.SubkeyOf("subkey-revoked")[^16..]}", revoked, StringComparison.Ordinal);
        Assert.Contains("was revoked on", revoked, StringComparison.Ordinal);
        var expired = Ours("subkey-expired").Message;
        Assert.Contains($"signing subkey {keys.SubkeyOf("subkey-expired")[^16..]}", expired, StringComparison.Ordinal);
        Assert.Contains("expired on 2020-02-01", expired, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("revoked")]
    [InlineData("subkey-revoked")]
    public void The_same_commit_was_accepted_before_gpg_revoked_the_key(string name)
    {
        using var stream = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(keys.BeforeRevocation[name]));
        var bundle = OpenPgpSignatureVerifier.ReadKeyring(stream);
        using var repository = new Repository(keys.Repo);
        var signer = CommitSignature.Check(repository, new ObjectId(keys.Commits[name]), new TrustedKeys(AllowedSigners.None, bundle), allowUnsigned: false);
        Assert.StartsWith($"openpgp:{name} <{name}@example.org>", signer, StringComparison.Ordinal);
    }
}
