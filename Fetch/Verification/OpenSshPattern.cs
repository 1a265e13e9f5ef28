namespace Webc.BootSafe.Fetch.Verification;

/// <summary>
/// OpenSSH's pattern lists (match.c): comma-separated globs with <c>*</c> and <c>?</c>, each
/// optionally negated by a leading <c>!</c>. Used for allowed_signers principals and
/// <c>namespaces=</c>, compared byte for byte (the strings are Latin-1 decoded bytes), so the
/// verdict is the one ssh-keygen gives.
/// </summary>
public static class OpenSshPattern
{
    // match_pattern_list copies each sub-pattern into char[1024]; a longer one makes the whole list fail.
    private const int MaxSubpattern = 1023;

    /// <summary>1 on a positive match, -1 when a negated sub-pattern matches, 0 otherwise (match_pattern_list).</summary>
    public static int MatchList(string value, string patternList)
    {
        var gotPositive = false;
        var i = 0;
        while (i < patternList.Length)
        {
            var negated = patternList[i] == '!';
            if (negated)
            {
                i++;
            }

            var end = patternList.IndexOf(',', i);
            if (end < 0)
            {
                end = patternList.Length;
            }

            if (end - i >= MaxSubpattern)
            {
                return 0;
            }

            var sub = patternList[i..end];
            i = end < patternList.Length ? end + 1 : end;
            if (Match(value, sub))
            {
                if (negated)
                {
                    return -1;
                }

                gotPositive = true;
            }
        }

        return gotPositive ? 1 : 0;
    }

    /// <summary>Glob match of the whole value (match_pattern), iteratively so hostile patterns stay linear-ish.</summary>
    public static bool Match(string value, string pattern)
    {
        int s = 0, p = 0, starP = -1, starS = 0;
        while (s < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || (pattern[p] != '*' && pattern[p] == value[s])))
            {
                s++;
                p++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starS = s;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                s = ++starS;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
