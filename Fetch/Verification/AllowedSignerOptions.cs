namespace Webc.BootSafe.Fetch.Verification;

/// <summary>
/// The options of an allowed_signers line (sshsig.c sshsigopt_parse): <c>cert-authority</c>,
/// <c>namespaces="list"</c>, <c>valid-after="time"</c>, <c>valid-before="time"</c>, comma separated,
/// names case-insensitive, values quoted. Times are seconds since the epoch; 0 means unset.
/// </summary>
public sealed record AllowedSignerOptions(bool CertAuthority, string? Namespaces, long ValidAfter, long ValidBefore)
{
    public static AllowedSignerOptions None { get; } = new(false, null, 0, 0);

    /// <summary>The options, or the reason ssh-keygen gives for refusing them ("bad options: ...").</summary>
    public static (AllowedSignerOptions? Options, string? Error) Parse(string text)
    {
        bool ca = false;
        string? namespaces = null;
        long after = 0, before = 0;
        var at = 0;
        while (at < text.Length && text[at] is not (' ' or '\t'))
        {
            if (StartsWithIgnoreCase(text, at, "cert-authority"))
            {
                // opt_flag matches a prefix; whatever follows must be a comma or the end.
                ca = true;
                at += "cert-authority".Length;
            }
            else if (Named(text, ref at, "namespaces"))
            {
                if (namespaces is not null)
                {
                    return (null, "multiple \"namespaces\" clauses");
                }

                namespaces = Dequote(text, ref at, out var error);
                if (namespaces is null)
                {
                    return (null, error);
                }
            }
            else if (Named(text, ref at, "valid-after") || Named(text, ref at, "valid-before"))
            {
                var isAfter = text[..at].EndsWith("after=", StringComparison.OrdinalIgnoreCase);
                var name = isAfter ? "valid-after" : "valid-before";
                if ((isAfter ? after : before) != 0)
                {
                    return (null, $"multiple \"{name}\" clauses");
                }

                var value = Dequote(text, ref at, out var error);
                if (value is null)
                {
                    return (null, error);
                }

                var time = OpenSshTime.Parse(value);
                if (time is null or 0)
                {
                    return (null, $"invalid \"{name}\" time");
                }

                if (isAfter)
                {
                    after = time.Value;
                }
                else
                {
                    before = time.Value;
                }
            }

            if (at >= text.Length || text[at] is ' ' or '\t')
            {
                break;
            }

            // Anything but a comma here is an option OpenSSH does not know (an empty one, ",,", is skipped as it does).
            if (text[at] != ',')
            {
                return (null, "unknown key option");
            }

            at++;
            if (at >= text.Length)
            {
                return (null, "unexpected end-of-options");
            }
        }

        if (after != 0 && before != 0 && before <= after)
        {
            return (null, "\"valid-before\" time is before \"valid-after\"");
        }

        return (new AllowedSignerOptions(ca, namespaces, after, before), null);
    }

    private static bool StartsWithIgnoreCase(string text, int at, string word)
    {
        if (text.Length - at < word.Length)
        {
            return false;
        }

        for (var i = 0; i < word.Length; i++)
        {
            if (AsciiLower(text[at + i]) != word[i])
            {
                return false;
            }
        }

        return true;
    }

    // strncasecmp in the C locale folds ASCII letters only.
    private static char AsciiLower(char c) => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;

    private static bool Named(string text, ref int at, string name)
    {
        if (StartsWithIgnoreCase(text, at, name) && at + name.Length < text.Length && text[at + name.Length] == '=')
        {
            at += name.Length + 1;
            return true;
        }

        return false;
    }

    /// <summary>opt_dequote: a double-quoted value in which <c>\"</c> stands for a quote.</summary>
    private static string? Dequote(string text, ref int at, out string? error)
    {
        error = null;
        if (at >= text.Length || text[at] != '"')
        {
            error = "missing start quote";
            return null;
        }

        var value = new System.Text.StringBuilder();
        var i = at + 1;
        while (i < text.Length && text[i] != '"')
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '"')
            {
                i++;
            }

            value.Append(text[i++]);
        }

        if (i >= text.Length)
        {
            error = "missing end quote";
            return null;
        }

        at = i + 1;
        return value.ToString();
    }
}
