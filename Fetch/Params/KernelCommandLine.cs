using System.Text;

namespace Webc.BootSafe.Fetch.Params;

/// <summary>
/// Splits a kernel command line the way the kernel does: whitespace separates parameters, double
/// quotes group (<c>key="a b"</c> and <c>"key=a b"</c> both work) and are removed, and the first
/// <c>=</c> separates key from value. Repeated keys are all returned, in order; callers take the last.
/// </summary>
public static class KernelCommandLine
{
    public static IReadOnlyList<Setting> Parse(string text, ParameterSource source, string origin)
    {
        var settings = new List<Setting>();
        foreach (var token in Tokens(text))
        {
            var eq = token.IndexOf('=');
            var setting = eq < 0
                ? new Setting(token, null, source, origin)
                : new Setting(token[..eq], token[(eq + 1)..], source, origin);
            if (setting.Key.Length > 0)
            {
                settings.Add(setting);
            }
        }

        return settings;
    }

    private static IEnumerable<string> Tokens(string text)
    {
        var current = new StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (!quoted && char.IsWhiteSpace(c))
            {
                if (any)
                {
                    yield return current.ToString();
                }

                current.Clear();
                any = false;
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }

        if (any)
        {
            yield return current.ToString();
        }
    }
}
