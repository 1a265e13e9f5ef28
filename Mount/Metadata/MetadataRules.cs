using System.Globalization;
using Webc.BootSafe.Mount.View;
using Webc.BootSafe.Medium.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Webc.BootSafe.Mount.Metadata;

/// <summary>
/// The checked metadata file: rules applied in order (a later rule overrides the fields it sets)
/// and extra empty directories. The view applies them as it creates nodes, so owners and modes are
/// right from the first stat and nothing is copied up into a RAM overlay.
/// </summary>
public sealed class MetadataRules
{
    public const string FilePath = ".bootsafe/metadata.yaml";

    public static MetadataRules Empty { get; } = new([], []);

    public IReadOnlyList<MetadataRule> Rules { get; }

    /// <summary>Paths of directories to show, without a leading slash.</summary>
    public IReadOnlyList<string> Directories { get; }

    private MetadataRules(IReadOnlyList<MetadataRule> rules, IReadOnlyList<string> directories)
    {
        Rules = rules;
        Directories = directories;
    }

    public void Apply(Node node)
    {
        foreach (var rule in Rules)
        {
            if (!rule.Path.Matches(node.Path))
            {
                continue;
            }

            if (rule.Uid is { } uid)
            {
                node.Uid = uid;
            }

            if (rule.Gid is { } gid)
            {
                node.Gid = gid;
            }

            // A symlink's own mode means nothing on Linux; keep 0777 as every filesystem shows it.
            if (rule.Permissions is { } perm && node.Kind != NodeKind.Symlink)
            {
                node.Permissions = perm;
            }
        }
    }

    public static MetadataRules Parse(string yaml, AccountNames accounts)
    {
        MetadataDocument doc;
        try
        {
            var deserializer = new StaticDeserializerBuilder(new MetadataYamlContext())
                .WithNamingConvention(CamelCaseNamingConvention.Instance)
                .Build();
            doc = deserializer.Deserialize<MetadataDocument>(yaml) ?? new MetadataDocument();
        }
        catch (YamlException e)
        {
            var why = e.InnerException?.Message ?? e.Message;
            throw new BadInputException($"{FilePath} line {e.Start.Line}: {why}", e);
        }

        var lines = ItemLines(yaml);
        if (doc.Version != 1)
        {
            throw new BadInputException($"{FilePath}: version {doc.Version} is not supported (only 1)");
        }

        var rules = new List<MetadataRule>();
        var directories = new List<string>();
        for (var i = 0; i < doc.Directories.Count; i++)
        {
            var line = lines.GetValueOrDefault(("directories", i));
            var rule = Check(doc.Directories[i], line, accounts, allowGlob: false);
            directories.Add(rule.Path.Pattern);
            rules.Add(rule);
        }

        for (var i = 0; i < doc.Rules.Count; i++)
        {
            rules.Add(Check(doc.Rules[i], lines.GetValueOrDefault(("rules", i)), accounts, allowGlob: true));
        }

        return new MetadataRules(rules, directories);
    }

    private static MetadataRule Check(MetadataRuleDocument item, int line, AccountNames accounts, bool allowGlob)
    {
        var where = $"{FilePath} line {line}";
        var path = item.Path?.Trim('/');
        if (string.IsNullOrEmpty(path))
        {
            throw new BadInputException($"{where}: 'path' is missing or empty");
        }

        if (path.Split('/').Any(s => s is "" or "." or "..") || path.Contains('\0'))
        {
            throw new BadInputException($"{where}: path '{path}' has an empty, '.' or '..' segment");
        }

        if (!allowGlob && path.AsSpan().IndexOfAny('*', '?') >= 0)
        {
            throw new BadInputException($"{where}: directory path '{path}' must not be a glob");
        }

        int? permissions = null;
        if (item.Mode is { } mode)
        {
            if (mode.Length is 0 or > 5 || !mode.All(c => c is >= '0' and <= '7'))
            {
                throw new BadInputException($"{where}: mode '{mode}' is not an octal number like 0644 or 4755");
            }

            permissions = Convert.ToInt32(mode, 8);
            if (permissions > 0xFFF)
            {
                throw new BadInputException($"{where}: mode '{mode}' is larger than 7777");
            }
        }

        var uid = Account(item.Owner, accounts.User, where, "owner", "etc/passwd");
        var gid = Account(item.Group, accounts.Group, where, "group", "etc/group");
        if (allowGlob && uid is null && gid is null && permissions is null)
        {
            throw new BadInputException($"{where}: rule for '{path}' sets none of owner, group, mode");
        }

        return new MetadataRule(new PathGlob(path), uid, gid, permissions, line);
    }

    private static uint? Account(string? value, Func<string, uint?> byName, string where, string field, string table)
    {
        if (value is null)
        {
            return null;
        }

        if (uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return id;
        }

        return byName(value) ?? throw new BadInputException($"{where}: {field} '{value}' is not a number and not in the commit's {table}");
    }

    /// <summary>Line numbers of the items of the top-level sequences, for error messages.</summary>
    private static Dictionary<(string, int), int> ItemLines(string yaml)
    {
        var lines = new Dictionary<(string, int), int>();
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return lines;
        }

        foreach (var (key, value) in root.Children)
        {
            if (key is YamlScalarNode { Value: { } name } && value is YamlSequenceNode seq)
            {
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    lines[(name, i)] = (int)seq.Children[i].Start.Line;
                }
            }
        }

        return lines;
    }
}
