namespace Webc.BootSafe.Fetch.Params;

/// <summary>
/// config.yaml read without a YAML parser, for the boot path: select only needs to know whether
/// report-url is set, and linking YamlDotNet (with the regular expressions and URI code it pulls in)
/// into webc-bootsafe-select costs every boot about 1.5 ms of start-up (bench/select).
/// <para>
/// It answers only for the plain form every tool and example writes, one <c>key: value</c> per line
/// (a plain, single-quoted or escape-free double-quoted value, comments, blank lines), and then
/// exactly as <see cref="ConfigFile.Parse"/> would (<c>Specs/Fetch/ConfigFileScanProperties.cs</c>
/// checks this against YamlDotNet). For anything else (indentation, flow or block collections,
/// escapes, anchors, tags, documents, tabs, unknown or repeated keys) it answers null: not sure.
/// </para>
/// </summary>
public static class ConfigFileScan
{
    /// <summary>Whether the text sets report-url to a value that is not blank; null when it is not in the plain form.</summary>
    public static bool? SetsReportUrl(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            return null;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var set = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.EndsWith('\r') ? raw[..^1] : raw;
            if (line.Contains('\r') || line.Contains('\t'))
            {
                return null;
            }

            if (line.Trim(' ').Length == 0 || line[0] == '#')
            {
                continue;
            }

            var colon = line.IndexOf(':');
            if (colon <= 0 || line[0] == ' ')
            {
                return null;
            }

            var key = line[..colon];
            if (!ParameterKeys.IsKnown(key) || !seen.Add(key) || (colon + 1 < line.Length && line[colon + 1] != ' '))
            {
                return null;
            }

            if (Value(line[(colon + 1)..].Trim(' ')) is not { } value)
            {
                return null;
            }

            if (key == ParameterKeys.ReportUrl)
            {
                set = !string.IsNullOrWhiteSpace(value);
            }
        }

        return set;
    }

    /// <summary>The scalar a value part stands for (empty when there is none), or null when it is not in the plain form.</summary>
    private static string? Value(string part)
    {
        if (part.Length == 0 || part[0] == '#')
        {
            return string.Empty;
        }

        return part[0] switch
        {
            '\'' => Quoted(part, '\'', escape: "''"),
            '"' => part.Contains('\\') ? null : Quoted(part, '"', escape: null),
            _ => Plain(part),
        };
    }

    private static string? Quoted(string part, char quote, string? escape)
    {
        var value = new System.Text.StringBuilder();
        var i = 1;
        while (i < part.Length)
        {
            if (escape is not null && string.CompareOrdinal(part, i, escape, 0, escape.Length) == 0)
            {
                value.Append(quote);
                i += escape.Length;
                continue;
            }

            if (part[i] == quote)
            {
                return OnlyComment(part[(i + 1)..]) ? value.ToString() : null;
            }

            value.Append(part[i++]);
        }

        return null;
    }

    private static string? Plain(string part)
    {
        if ("-?:,[]{}#&*!|>'\"%@`".Contains(part[0]))
        {
            return null;
        }

        var comment = part.IndexOf(" #", StringComparison.Ordinal);
        var value = (comment < 0 ? part : part[..comment]).TrimEnd(' ');
        return value.Contains(": ", StringComparison.Ordinal) || value.EndsWith(':') || value.Contains(" #", StringComparison.Ordinal)
            ? null
            : value;
    }

    private static bool OnlyComment(string rest)
    {
        var trimmed = rest.TrimStart(' ');
        return trimmed.Length == 0 || (trimmed[0] == '#' && trimmed.Length < rest.Length);
    }
}
