namespace Webc.BootSafe.Fetch.Verification;

/// <summary>
/// An allowed_signers file as ssh-keygen reads it: the usable ssh-ed25519 lines in file order, and
/// the lines it skips (ssh-keygen skips a malformed line with a message, it never refuses the whole
/// file; we skip the same lines so both give the same verdict).
/// </summary>
public sealed record AllowedSigners(string Path, IReadOnlyList<AllowedSigner> Signers, IReadOnlyList<string> Skipped)
{
    public static AllowedSigners None { get; } = new("(none)", [], []);

    /// <summary>
    /// <c>ssh-keygen -Y find-principals</c>: the principals of the first line that lists the key,
    /// is not a cert-authority and is valid at <paramref name="now"/> (namespaces are not looked at),
    /// one per comma-separated item up to the first empty one, as ssh-keygen prints them; null when
    /// no line matches (exit 255).
    /// </summary>
    public IReadOnlyList<string>? FindPrincipals(ReadOnlySpan<byte> key, long now)
    {
        foreach (var signer in Signers)
        {
            if (signer.IsKey(key) && signer.Refusal(null, now) is null)
            {
                return signer.Principals.Split(',').TakeWhile(p => p.Length > 0).ToList();
            }
        }

        return null;
    }

    /// <summary>
    /// <c>ssh-keygen -Y verify -I principal -n ns</c> once the signature itself checks out: some line
    /// whose principals pattern list matches, lists the key (not as cert-authority), allows the
    /// namespace and is valid at <paramref name="now"/>.
    /// </summary>
    public bool Allows(string principal, ReadOnlySpan<byte> key, string ns, long now)
    {
        foreach (var signer in Signers)
        {
            if (OpenSshPattern.MatchList(principal, signer.Principals) == 1 && signer.IsKey(key) && signer.Refusal(ns, now) is null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// git's verdict (gpg-interface.c, verify_ssh_signed_buffer): find-principals, then
    /// <c>verify -n ns -I p</c> for each principal printed until one is good. Returns that principal.
    /// </summary>
    public string? GitVerify(ReadOnlySpan<byte> key, string ns, long now)
    {
        foreach (var printed in FindPrincipals(key, now) ?? [])
        {
            // git reads the output line by line, drops a trailing CR and skips empty lines.
            var principal = printed.EndsWith('\r') ? printed[..^1] : printed;
            if (principal.Length > 0 && Allows(principal, key, ns, now))
            {
                return principal;
            }
        }

        return null;
    }

    /// <summary>Why the key is not trusted, in one line for the refusal message.</summary>
    public string Explain(ReadOnlySpan<byte> key, string ns, long now)
    {
        var reasons = new List<string>();
        foreach (var signer in Signers)
        {
            if (signer.IsKey(key))
            {
                reasons.Add($"line {signer.Line} (\"{Printable(signer.Principals)}\") " +
                    (signer.Refusal(ns, now) ?? "lists it, but not for the principals git asks about (those of the first valid line for the key)"));
            }
        }

        if (reasons.Count == 0)
        {
            var skipped = Skipped.Count == 0 ? string.Empty : $"; {Skipped.Count} malformed line(s) skipped, first {Skipped[0]}";
            return $"no line of {Path} lists it{skipped}";
        }

        return $"{Path}: " + string.Join("; ", reasons.Take(3)) + (reasons.Count > 3 ? $"; and {reasons.Count - 3} more" : string.Empty);
    }

    // The message is one line on a terminal: control characters a principal may hold (CR, tab) are shown as '?'.
    private static string Printable(string text) => string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));
}
