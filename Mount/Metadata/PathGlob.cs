namespace Webc.BootSafe.Mount.Metadata;

/// <summary>
/// A path pattern relative to the tree root: '*' and '?' match within one segment, a '**' segment
/// matches zero or more whole segments (so "home/webc/**" covers home/webc and all below it).
/// </summary>
public sealed class PathGlob
{
    private readonly string[] _segments;

    public string Pattern { get; }

    public PathGlob(string pattern)
    {
        Pattern = pattern.Trim('/');
        _segments = Pattern.Length == 0 ? [] : Pattern.Split('/');
    }

    public bool Matches(string path)
    {
        var segments = path.Length == 0 ? [] : path.Split('/');
        return Match(0, segments, 0);
    }

    private bool Match(int p, string[] path, int s)
    {
        while (p < _segments.Length)
        {
            if (_segments[p] == "**")
            {
                for (var skip = s; skip <= path.Length; skip++)
                {
                    if (Match(p + 1, path, skip))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (s >= path.Length || !SegmentMatches(_segments[p], path[s]))
            {
                return false;
            }

            p++;
            s++;
        }

        return s == path.Length;
    }

    private static bool SegmentMatches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        // Iterative wildcard match with one backtrack point for the last '*'.
        int p = 0, n = 0, star = -1, mark = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == name[n]))
            {
                p++;
                n++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = n;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++mark;
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
