using System.Text;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Git;

/// <summary>
/// Turns a revision as an operator or the kernel command line gives it (full or abbreviated
/// hash, HEAD, branch, tag, full ref) into a commit, peeling annotated tags. A deliberately small
/// subset of gitrevisions(7): the boot path passes full hashes.
/// </summary>
public static class RevisionResolver
{
    public static Commit Resolve(GitDirectory git, ObjectDatabase odb, string rev)
    {
        if (string.IsNullOrWhiteSpace(rev))
        {
            throw new BadInputException("--rev: empty revision");
        }

        var id = TryFullHash(odb, rev) ?? TryRef(git, rev) ?? TryAbbreviated(odb, rev)
            ?? throw new BadInputException($"--rev '{rev}': unknown revision in {git.GitDir}");
        return Peel(odb, id, rev);
    }

    /// <summary>The object a full ref name points at, unpeeled; null when there is no such ref.</summary>
    public static ObjectId? ResolveId(GitDirectory git, ObjectDatabase odb, string refName) => ReadRef(git, refName, depth: 0);

    private static ObjectId? TryFullHash(ObjectDatabase odb, string rev) =>
        ObjectId.TryParse(rev, out var id) && odb.Contains(id) ? id : null;

    private static ObjectId? TryAbbreviated(ObjectDatabase odb, string rev)
    {
        if (rev.Length is < 4 or >= ObjectId.HexSize || !ObjectId.IsHex(rev))
        {
            return null;
        }

        var found = odb.FindByPrefix(rev.ToLowerInvariant());
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new BadInputException($"--rev '{rev}': ambiguous abbreviated hash"),
        };
    }

    private static ObjectId? TryRef(GitDirectory git, string rev)
    {
        string[] candidates = [rev, $"refs/{rev}", $"refs/tags/{rev}", $"refs/heads/{rev}", $"refs/remotes/{rev}", $"refs/remotes/{rev}/HEAD"];
        foreach (var name in candidates)
        {
            if (ReadRef(git, name, depth: 0) is { } id)
            {
                return id;
            }
        }

        return null;
    }

    private static ObjectId? ReadRef(GitDirectory git, string name, int depth)
    {
        if (depth > 5 || name.Contains("..", StringComparison.Ordinal) || name.StartsWith('/'))
        {
            return null;
        }

        foreach (var dir in new[] { git.GitDir, git.CommonDir })
        {
            var file = Path.Combine(dir, name);
            if (!File.Exists(file))
            {
                continue;
            }

            var content = File.ReadAllText(file).Trim();
            if (content.StartsWith("ref: ", StringComparison.Ordinal))
            {
                return ReadRef(git, content[5..].Trim(), depth + 1);
            }

            if (ObjectId.TryParse(content, out var id))
            {
                return id;
            }
        }

        var packed = Path.Combine(git.CommonDir, "packed-refs");
        if (File.Exists(packed))
        {
            foreach (var line in File.ReadLines(packed))
            {
                if (line.Length > ObjectId.HexSize + 1 && line[ObjectId.HexSize] == ' '
                    && line.AsSpan(ObjectId.HexSize + 1).SequenceEqual(name)
                    && ObjectId.TryParse(line.AsSpan(0, ObjectId.HexSize), out var id))
                {
                    return id;
                }
            }
        }

        return null;
    }

    private static Commit Peel(ObjectDatabase odb, ObjectId id, string rev)
    {
        for (var depth = 0; depth < 10; depth++)
        {
            var (type, data) = odb.ReadRequired(id);
            switch (type)
            {
                case ObjectType.Commit:
                    return Commit.Parse(id, data);
                case ObjectType.Tag:
                    var first = Encoding.ASCII.GetString(data.AsSpan(0, Math.Min(data.Length, 47)));
                    if (!first.StartsWith("object ", StringComparison.Ordinal) || !ObjectId.TryParse(first.AsSpan(7, ObjectId.HexSize), out id))
                    {
                        throw new CorruptRepositoryException($"tag {id}: no object line");
                    }

                    break;
                default:
                    throw new BadInputException($"--rev '{rev}': names a {type.ToString().ToLowerInvariant()}, not a commit");
            }
        }

        throw new BadInputException($"--rev '{rev}': tag chain too deep");
    }
}
