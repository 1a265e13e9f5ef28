using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Specs.Fetch.Support;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>Our in-process SSHSIG and OpenPGP verifiers against signatures made by the real ssh-keygen and gpg.</summary>
public sealed class SignatureSpecs(FetchWorld world) : IClassFixture<FetchWorld>, IDisposable
{
    private readonly TempDirectory _dir = new("bootsafe-sig");

    public void Dispose() => _dir.Dispose();

    private string SshSign(string message, Signers signer)
    {
        var file = _dir.Combine(Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, message);
        Proc.Run("ssh-keygen", ["-q", "-Y", "sign", "-n", "git", "-f", signer.SshKey, file]);
        return File.ReadAllText(file + ".sig");
    }

    private AllowedSigners Trusted => AllowedSignersFile.Parse(File.ReadAllBytes(world.Trusted.AllowedSigners), "allowed_signers");

    [Fact]
    public void An_ssh_keygen_signature_verifies_and_names_the_principal()
    {
        var signature = SshSign("payload\n", world.Trusted);
        Assert.Equal("publisher@example.org", SshSignatureVerifier.Verify(signature, "payload\n"u8, Trusted, DateTimeOffset.UtcNow));
    }

    [Property(MaxTest = 20)]
    public Property Any_change_to_the_signed_bytes_fails(NonEmptyString text, PositiveInt at)
    {
        var message = text.Get.Replace("\0", "", StringComparison.Ordinal) + "x";
        var signature = SshSign(message, world.Trusted);
        var bytes = Encoding.UTF8.GetBytes(message);
        bytes[at.Get % bytes.Length] ^= 0x20;
        return Assert.Throws<VerificationFailedException>(() => SshSignatureVerifier.Verify(signature, bytes, Trusted, DateTimeOffset.UtcNow))
            .Message.Contains("does not match", StringComparison.Ordinal).ToProperty();
    }

    [Fact]
    public void A_signature_for_another_namespace_is_refused()
    {
        var file = _dir.Combine("f");
        File.WriteAllText(file, "payload");
        Proc.Run("ssh-keygen", ["-q", "-Y", "sign", "-n", "file", "-f", world.Trusted.SshKey, file]);
        var e = Assert.Throws<VerificationFailedException>(() => SshSignatureVerifier.Verify(File.ReadAllText(file + ".sig"), "payload"u8, Trusted, DateTimeOffset.UtcNow));
        Assert.Contains("namespace 'file'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_allowed_signers_key_restricted_to_other_namespaces_is_not_trusted()
    {
        var line = File.ReadAllText(world.Trusted.AllowedSigners).Replace("namespaces=\"git\"", "namespaces=\"file,mail\"", StringComparison.Ordinal);
        var signature = SshSign("payload\n", world.Trusted);
        var e = Assert.Throws<VerificationFailedException>(() => SshSignatureVerifier.Verify(signature, "payload\n"u8, AllowedSignersFile.Parse(line, "allowed_signers"), DateTimeOffset.UtcNow));
        Assert.Contains("excludes \"git\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gpg_detached_signature_verifies_and_a_changed_payload_does_not()
    {
        var file = _dir.Combine("p");
        File.WriteAllText(file, "tree abc\n\nmessage\n");
        Proc.Run("gpg", ["--batch", "--armor", "--detach-sign", "--local-user", world.Trusted.GpgFingerprint, file], env: world.Trusted.GpgEnv);
        var signature = File.ReadAllText(file + ".asc");
        using var keyring = File.OpenRead(world.Trusted.Keyring);
        var bundle = OpenPgpSignatureVerifier.ReadKeyring(keyring);

        Assert.Contains("publisher", OpenPgpSignatureVerifier.Verify(signature, File.ReadAllBytes(file), bundle, DateTimeOffset.UtcNow), StringComparison.Ordinal);
        Assert.Throws<VerificationFailedException>(() => OpenPgpSignatureVerifier.Verify(signature, "tree abc\n\nmessagE\n"u8.ToArray(), bundle, DateTimeOffset.UtcNow));
    }
}
