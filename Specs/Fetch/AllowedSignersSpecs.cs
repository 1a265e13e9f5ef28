using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Specs.Fetch.Support;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// The allowed_signers cases of issue 15, one by one, each with ssh-keygen's own verdict beside
/// ours, and the one-line message an operator reads when we refuse.
/// </summary>
[Trait("Category", "Fast")]
public sealed class AllowedSignersSpecs(SshKeygenPeer peer) : IClassFixture<SshKeygenPeer>
{
    private string Key(int i) => "ssh-ed25519 " + peer.PublicKeys[i];

    private (bool SshKeygen, string? Ours, string Message) Judge(string allowedSigners, int signer = 0)
    {
        var file = peer.WriteAllowedSigners(allowedSigners);
        var signature = peer.Signatures[(signer, "git")];
        var payload = peer.PayloadFile(tampered: false);
        var found = SshKeygenPeer.Run(["-Y", "find-principals", "-f", file, "-s", signature]);
        var sshKeygen = found.Exit == 0 && found.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Any(p => SshKeygenPeer.Run(["-Y", "verify", "-f", file, "-I", p, "-n", "git", "-s", signature], payload).Exit == 0);
        try
        {
            var principal = SshSignatureVerifier.Verify(File.ReadAllText(signature), File.ReadAllBytes(payload), AllowedSignersFile.Parse(File.ReadAllBytes(file), "allowed_signers"), DateTimeOffset.UtcNow);
            return (sshKeygen, principal, principal);
        }
        catch (VerificationFailedException e)
        {
            Assert.DoesNotContain('\n', e.Message);
            return (sshKeygen, null, e.Message);
        }
    }

    [Fact]
    public void A_key_past_its_valid_before_is_refused_saying_when_it_expired()
    {
        var (sshKeygen, ours, message) = Judge($"a@x valid-before=\"20200101Z\" {Key(0)}\n");
        Assert.False(sshKeygen);
        Assert.Null(ours);
        Assert.Contains("line 1 (\"a@x\") expired on 2020-01-01 00:00:00Z (valid-before)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_before_its_valid_after_is_refused()
    {
        var (sshKeygen, ours, message) = Judge($"a@x valid-after=\"{DateTime.UtcNow.AddYears(1):yyyyMMdd}\" {Key(0)}\n");
        Assert.False(sshKeygen);
        Assert.Null(ours);
        Assert.Contains("is not valid until", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_within_its_validity_window_is_accepted()
    {
        var (sshKeygen, ours, _) = Judge($"a@x valid-after=\"20200101\",valid-before=\"{DateTime.UtcNow.AddYears(1):yyyyMMddHHmmss}Z\" {Key(0)}\n");
        Assert.True(sshKeygen);
        Assert.Equal("a@x", ours);
    }

    [Fact]
    public void A_plain_signature_by_a_key_listed_only_as_cert_authority_is_refused()
    {
        var (sshKeygen, ours, message) = Judge($"a@x cert-authority {Key(0)}\n");
        Assert.False(sshKeygen);
        Assert.Null(ours);
        Assert.Contains("cert-authority", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_whose_namespaces_exclude_git_is_refused_even_when_listed_again_for_another_principal()
    {
        // find-principals stops at line 1 ("a@x"); git then asks verify only about a@x, never b@y.
        var (sshKeygen, ours, message) = Judge($"a@x namespaces=\"file\" {Key(0)}\nb@y {Key(0)}\n");
        Assert.False(sshKeygen);
        Assert.Null(ours);
        Assert.Contains("excludes \"git\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_line_is_skipped_as_ssh_keygen_skips_it_not_fatal()
    {
        var (sshKeygen, ours, _) = Judge($"a@x bogus-option {Key(0)}\nb@y valid-after=20200101 {Key(0)}\nc@z {Key(0)}\n");
        Assert.True(sshKeygen);
        Assert.Equal("c@z", ours);
    }

    [Fact]
    public void An_unlisted_key_is_refused_and_the_message_points_at_a_skipped_line()
    {
        var (sshKeygen, ours, message) = Judge($"a@x valid-after=20200101 {Key(0)}\n");
        Assert.False(sshKeygen);
        Assert.Null(ours);
        Assert.Contains("no line of allowed_signers lists it; 1 malformed line(s) skipped, first line 1: bad options: missing start quote", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_made_with_an_ssh_certificate_is_refused_with_a_clear_message()
    {
        // ssh-keygen accepts a certificate issued by a cert-authority line; we support plain keys only.
        using var dir = new TempDirectory("ssh-cert");
        var ca = dir.Combine("ca");
        var key = dir.Combine("key");
        Proc.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", ca]);
        Proc.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]);
        Proc.Run("ssh-keygen", ["-q", "-s", ca, "-I", "publisher", "-n", "a@x", key + ".pub"]);
        var payload = dir.Combine("payload");
        File.WriteAllText(payload, peer.Payload);
        Proc.Run("ssh-keygen", ["-q", "-Y", "sign", "-n", "git", "-f", key + "-cert.pub", payload]);
        var allowed = dir.Combine("allowed_signers");
        File.WriteAllText(allowed, $"a@x cert-authority {File.ReadAllText(ca + ".pub").Trim()}\n");

        Assert.Equal(0, SshKeygenPeer.Run(["-Y", "verify", "-f", allowed, "-I", "a@x", "-n", "git", "-s", payload + ".sig"], payload).Exit);
        var e = Assert.Throws<VerificationFailedException>(() => SshSignatureVerifier.Verify(
            File.ReadAllText(payload + ".sig"), File.ReadAllBytes(payload), AllowedSignersFile.Parse(File.ReadAllBytes(allowed), allowed), DateTimeOffset.UtcNow));
        Assert.Contains("SSH certificate (ssh-ed25519-cert-v01@openssh.com); certificates (cert-authority in allowed_signers) are not supported", e.Message, StringComparison.Ordinal);
    }
}
