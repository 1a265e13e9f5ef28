namespace Webc.BootSafe.Specs.Mount.Support;

/// <summary>What `find -printf` says about every path of a tree: type, mode, owner, group, link target, mtime.</summary>
public sealed record TreeEntryFacts(char Type, string Mode, string Uid, string Gid, string LinkTarget, string MTime);

public static class TreeListing
{
    public static Dictionary<string, TreeEntryFacts> Of(string root)
    {
        var output = Shell.Run("find", [root, "-mindepth", "1", "-printf", @"%P\001%y\001%m\001%U\001%G\001%l\001%T@\000"], null);
        var result = new Dictionary<string, TreeEntryFacts>(StringComparer.Ordinal);
        foreach (var record in output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = record.Split('\u0001');
            result[f[0]] = new TreeEntryFacts(f[1][0], f[2], f[3], f[4], f[5], f[6].Split('.')[0]);
        }

        return result;
    }
}
