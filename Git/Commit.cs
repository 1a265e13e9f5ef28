using System.Text;

namespace Webc.BootSafe.Git;

/// <summary>The parts of a commit the filesystem needs: its tree and its committer time.</summary>
public sealed record Commit(ObjectId Id, ObjectId Tree, DateTimeOffset CommitTime)
{
    public static Commit Parse(ObjectId id, ReadOnlySpan<byte> body)
    {
        ObjectId? tree = null;
        DateTimeOffset? time = null;
        foreach (var range in body.Split((byte)'\n'))
        {
            var line = body[range];
            if (line.IsEmpty)
            {
                break; // end of headers: the message follows
            }

            if (line.StartsWith("tree "u8) && ObjectId.TryParse(Encoding.ASCII.GetString(line[5..]), out var t))
            {
                tree = t;
            }
            else if (line.StartsWith("committer "u8))
            {
                time = ParseSignatureTime(Encoding.UTF8.GetString(line));
            }
        }

        if (tree is null || time is null)
        {
            throw new CorruptRepositoryException($"commit {id}: no tree or committer line");
        }

        return new Commit(id, tree.Value, time.Value);
    }

    private static DateTimeOffset? ParseSignatureTime(string line)
    {
        var close = line.LastIndexOf('>');
        var parts = line[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 1 && long.TryParse(parts[0], out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
    }
}
