using System.Text;

namespace Webc.BootSafe.Fetch.Verification;

/// <summary>
/// Reads an OpenSSH allowed_signers file (ssh-keygen(1), ALLOWED SIGNERS) exactly as OpenSSH 9.2
/// does (sshsig.c parse_principals_key_and_options): <c>principals [options] keytype base64 [comment]</c>,
/// tokens split on blanks, the principals field may be double-quoted, the options are tried only when
/// the text after the principals is not a key. The bytes are decoded as Latin-1 so that patterns
/// compare byte for byte as in C; a NUL ends a line's text as it ends a C string. Only ssh-ed25519
/// lines are kept (the only signatures we verify); every other line is skipped with its reason.
/// </summary>
public static class AllowedSignersFile
{
    public const string Ed25519 = "ssh-ed25519";

    private const string Blanks = " \t\r\n";

    public static AllowedSigners Parse(byte[] content, string path) => Parse(Encoding.Latin1.GetString(content), path);

    public static AllowedSigners Parse(string text, string path)
    {
        var signers = new List<AllowedSigner>();
        var skipped = new List<string>();
        var lineNumber = 0;
        var start = 0;
        while (start < text.Length)
        {
            // getline: each line keeps its newline; the last one may lack it.
            var end = text.IndexOf('\n', start);
            var raw = end < 0 ? text[start..] : text[start..(end + 1)];
            start = end < 0 ? text.Length : end + 1;
            lineNumber++;

            var nul = raw.IndexOf('\0', StringComparison.Ordinal);
            var (signer, reason) = ParseLine(nul < 0 ? raw : raw[..nul], lineNumber);
            if (signer is not null)
            {
                signers.Add(signer);
            }
            else if (reason is not null)
            {
                skipped.Add($"line {lineNumber}: {reason}");
            }
        }

        return new AllowedSigners(path, signers, skipped);
    }

    /// <summary>The line's signer, or null with the reason it is skipped (no reason: blank or comment).</summary>
    private static (AllowedSigner? Signer, string? Reason) ParseLine(string line, int number)
    {
        var at = Skip(line, 0, Blanks);
        if (at >= line.Length || line[at] == '#')
        {
            return (null, null);
        }

        var (principals, rest) = NextToken(line, at);
        if (principals is null || rest is not int cp)
        {
            return (null, "invalid line");
        }

        var first = ReadKey(line, cp);
        if (first.Key is { } plain)
        {
            return (new AllowedSigner(number, principals, plain, AllowedSignerOptions.None), null);
        }

        if (first.OtherType is { } type)
        {
            return (null, $"a {type} key (only ssh-ed25519 is used)");
        }

        // Not a key: options come first (sshkey_advance_past_options; blanks inside quotes belong to them).
        var quoted = false;
        var optionsEnd = cp;
        for (; optionsEnd < line.Length && (quoted || line[optionsEnd] is not (' ' or '\t')); optionsEnd++)
        {
            if (line[optionsEnd] == '\\' && optionsEnd + 1 < line.Length && line[optionsEnd + 1] == '"')
            {
                optionsEnd++;
            }
            else if (line[optionsEnd] == '"')
            {
                quoted = !quoted;
            }
        }

        if (optionsEnd >= line.Length)
        {
            return (null, quoted ? "invalid options" : "missing key");
        }

        var second = ReadKey(line, Skip(line, optionsEnd + 1, " \t"));
        if (second.Key is null)
        {
            return (null, second.OtherType is { } t ? $"a {t} key (only ssh-ed25519 is used)" : "invalid key");
        }

        var (options, error) = AllowedSignerOptions.Parse(line[cp..optionsEnd]);
        return options is null
            ? (null, $"bad options: {error}")
            : (new AllowedSigner(number, principals, second.Key, options), null);
    }

    /// <summary>strdelimw: the next blank-separated token, which may contain one double-quoted part.</summary>
    private static (string? Token, int? After) NextToken(string line, int start)
    {
        var stop = line.IndexOfAny([' ', '\t', '\r', '\n', '"'], start);
        if (stop < 0)
        {
            return (line[start..], null);
        }

        if (line[stop] == '"')
        {
            var close = line.IndexOf('"', stop + 1);
            return close < 0
                ? (null, null)
                : (line[start..stop] + line[(stop + 1)..close], Skip(line, close + 1, Blanks));
        }

        return (line[start..stop], Skip(line, stop + 1, Blanks));
    }

    private static int Skip(string line, int at, string chars)
    {
        while (at < line.Length && chars.Contains(line[at], StringComparison.Ordinal))
        {
            at++;
        }

        return at;
    }

    /// <summary>
    /// sshkey_read: a key type name, blanks, then base64 up to the next blank. Returns the ed25519
    /// public key, or the name of another OpenSSH key type (never ours to match), or neither (not a key).
    /// </summary>
    private static (byte[]? Key, string? OtherType) ReadKey(string line, int at)
    {
        var typeEnd = line.IndexOfAny([' ', '\t'], at);
        if (typeEnd < 0)
        {
            return (null, null);
        }

        var type = line[at..typeEnd];
        if (type != Ed25519)
        {
            return (null, OtherKeyTypes.Contains(type) ? type : null);
        }

        var blobStart = Skip(line, typeEnd, " \t");
        var blobEnd = line.IndexOfAny([' ', '\t'], blobStart);
        var blob = line[blobStart..(blobEnd < 0 ? line.Length : blobEnd)];
        return (Ed25519Blob(blob), null);
    }

    /// <summary>
    /// b64_pton (which skips C whitespace) then sshkey_fromb: the blob must be exactly
    /// string("ssh-ed25519") string(32 bytes). An ed25519 blob is 51 bytes, so its base64 has no padding.
    /// </summary>
    private static byte[]? Ed25519Blob(string base64)
    {
        var clean = new StringBuilder(base64.Length);
        foreach (var c in base64)
        {
            if (c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r')
            {
                continue;
            }

            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/'))
            {
                return null;
            }

            clean.Append(c);
        }

        if (clean.Length != 68)
        {
            return null;
        }

        var bytes = Convert.FromBase64String(clean.ToString());
        try
        {
            var wire = new SshWire(bytes);
            var type = Encoding.ASCII.GetString(wire.String());
            var key = wire.String();
            return type == Ed25519 && key.Length == 32 && wire.AtEnd ? key.ToArray() : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The other key type names OpenSSH 9.2 reads (sshkey.c keyimpls).</summary>
    private static readonly HashSet<string> OtherKeyTypes = new(StringComparer.Ordinal)
    {
        "ssh-ed25519-cert-v01@openssh.com", "sk-ssh-ed25519@openssh.com", "sk-ssh-ed25519-cert-v01@openssh.com",
        "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp521-cert-v01@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com", "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com", "webauthn-sk-ecdsa-sha2-nistp256@openssh.com",
        "ssh-rsa", "rsa-sha2-256", "rsa-sha2-512", "ssh-rsa-cert-v01@openssh.com", "rsa-sha2-256-cert-v01@openssh.com", "rsa-sha2-512-cert-v01@openssh.com",
        "ssh-dss", "ssh-dss-cert-v01@openssh.com",
    };
}
