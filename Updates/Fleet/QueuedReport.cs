using System.Globalization;

namespace Webc.BootSafe.Updates.Fleet;

/// <summary>One file of the outbox: <c>SEQUENCE-KEY.json</c>.</summary>
public sealed record QueuedReport(string Path, long Sequence, Guid Key)
{
    public static bool TryParse(string path, out QueuedReport report)
    {
        report = null!;
        var name = System.IO.Path.GetFileName(path);
        if (!name.EndsWith(".json", StringComparison.Ordinal) || name.StartsWith('.'))
        {
            return false;
        }

        var parts = name[..^".json".Length].Split('-');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || !Guid.TryParseExact(parts[1], "N", out var key))
        {
            return false;
        }

        report = new QueuedReport(path, sequence, key);
        return true;
    }
}
