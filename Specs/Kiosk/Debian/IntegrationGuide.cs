using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Kiosk.Debian;

/// <summary>
/// The shell blocks of docs/integration-guide.md that S6 runs as written: each is the fenced block
/// after a <c>&lt;!-- s6:NAME</c> comment, one command a line (a trailing backslash continues it),
/// so the guide and the spec cannot drift apart.
/// </summary>
public static class IntegrationGuide
{
    public static string Path => System.IO.Path.Combine(RepoPaths.Root, "docs", "integration-guide.md");

    public static IReadOnlyList<string> Commands(string block)
    {
        var lines = File.ReadAllLines(Path);
        var marker = Array.FindIndex(lines, l => l.StartsWith($"<!-- s6:{block} ", StringComparison.Ordinal) || l == $"<!-- s6:{block} -->");
        Assert.True(marker >= 0, $"{Path} has no <!-- s6:{block} --> block");
        var open = Array.FindIndex(lines, marker, l => l.StartsWith("```", StringComparison.Ordinal));
        var close = Array.FindIndex(lines, open + 1, l => l.StartsWith("```", StringComparison.Ordinal));
        Assert.True(open > marker && close > open, $"the s6:{block} block of {Path} has no fenced code");

        var commands = new List<string>();
        var current = "";
        foreach (var line in lines[(open + 1)..close])
        {
            if (current.Length == 0 && (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }

            commands.Add(current + line);
            current = "";
        }

        return commands;
    }
}
