namespace Webc.BootSafe.Fetch.Verification;

/// <summary>An ed25519 key from an allowed_signers file, with the principals it was listed for.</summary>
public sealed record SshTrustedKey(string Principals, byte[] PublicKey)
{
    public bool Matches(ReadOnlySpan<byte> key) => key.SequenceEqual(PublicKey);
}
