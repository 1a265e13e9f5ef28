using System.Text;
using Webc.BootSafe.Git;

namespace Webc.BootSafe.Mount.Metadata;

/// <summary>
/// A commit's <c>.bootsafe/metadata.yaml</c>, parsed and checked against the commit's own
/// etc/passwd and etc/group. The one validation: `mount` applies it, and fetch runs it on a
/// candidate so a commit the mount would refuse is never staged.
/// </summary>
public static class CommitMetadata
{
    /// <summary>The rules (empty when the file is absent); BadInputException naming the file and line when it is bad.</summary>
    public static MetadataRules Load(ObjectDatabase odb, Commit commit)
    {
        var yaml = ReadText(odb, commit, MetadataRules.FilePath);
        if (yaml is null)
        {
            return MetadataRules.Empty;
        }

        return MetadataRules.Parse(yaml, new AccountNames(ReadText(odb, commit, "etc/passwd"), ReadText(odb, commit, "etc/group")));
    }

    /// <summary>A regular file of the commit read straight from the trees (absent if any name on the way is absent, listed twice or not allowed, as git-fs would not serve it).</summary>
    private static string? ReadText(ObjectDatabase odb, Commit commit, string path)
    {
        var tree = commit.Tree;
        var parts = path.Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            var matches = TreeEntry.Parse(tree, odb.Read(tree, ObjectType.Tree)).Where(e => e.Name == parts[i]).ToList();
            if (matches is not [var entry] || !TreeRules.IsAllowedName(entry.Name))
            {
                return null;
            }

            if (i == parts.Length - 1)
            {
                return (entry.Mode & TreeEntry.TypeMask) == TreeEntry.FileType
                    ? Encoding.UTF8.GetString(odb.Read(entry.Id, ObjectType.Blob))
                    : null;
            }

            if (!entry.IsDirectory)
            {
                return null;
            }

            tree = entry.Id;
        }

        return null;
    }
}
