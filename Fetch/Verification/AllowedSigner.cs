namespace Webc.BootSafe.Fetch.Verification;

/// <summary>
/// A well-formed ssh-ed25519 line of an allowed_signers file: its line number, its principals
/// pattern list as written, the 32-byte public key and its options.
/// </summary>
public sealed record AllowedSigner(int Line, string Principals, byte[] PublicKey, AllowedSignerOptions Options)
{
    public bool IsKey(ReadOnlySpan<byte> key) => key.SequenceEqual(PublicKey);

    /// <summary>Why this line does not vouch for a signature at <paramref name="now"/> in namespace <paramref name="ns"/> (null: it does).</summary>
    public string? Refusal(string? ns, long now)
    {
        if (Options.CertAuthority)
        {
            return "is a cert-authority entry (it vouches for SSH certificates, which are not supported, not for plain signatures)";
        }

        if (ns is not null && Options.Namespaces is { } list && OpenSshPattern.MatchList(ns, list) != 1)
        {
            return $"is limited to namespaces=\"{list}\", which excludes \"{ns}\"";
        }

        if (Options.ValidAfter != 0 && now < Options.ValidAfter)
        {
            return $"is not valid until {Show(Options.ValidAfter)} (valid-after)";
        }

        return Options.ValidBefore != 0 && now > Options.ValidBefore
            ? $"expired on {Show(Options.ValidBefore)} (valid-before)"
            : null;
    }

    private static string Show(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
