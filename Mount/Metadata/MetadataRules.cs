using System.Globalization;
using System.Text;
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

    /// <summary>The newest version this reader knows: 2 added devices and capabilities.</summary>
    public const int Version = 2;

    public static MetadataRules Empty { get; } = new([], [], []);

    public IReadOnlyList<MetadataRule> Rules { get; }

    /// <summary>Paths of directories to show, without a leading slash.</summary>
    public IReadOnlyList<string> Directories { get; }

    /// <summary>Device nodes and FIFOs to show (version 2).</summary>
    public IReadOnlyList<MetadataDevice> Devices { get; }

    private MetadataRules(IReadOnlyList<MetadataRule> rules, IReadOnlyList<string> directories, IReadOnlyList<MetadataDevice> devices)
    {
        Rules = rules;
        Directories = directories;
        Devices = devices;
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

            if (rule.Capability is { } capability && node.Kind == NodeKind.File)
            {
                node.Capability = capability;
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
        if (doc.Version is < 1 or > Version)
        {
            throw new BadInputException($"{FilePath}: version {doc.Version} is not supported (1 or {Version})");
        }

        var rules = new List<MetadataRule>();
        var directories = new List<string>();
        var devices = new List<MetadataDevice>();
        for (var i = 0; i < doc.Directories.Count; i++)
        {
            var line = lines.GetValueOrDefault(("directories", i));
            var rule = Check(doc.Directories[i], line, accounts, Section.Directories, doc.Version);
            directories.Add(rule.Path.Pattern);
            rules.Add(rule);
        }

        for (var i = 0; i < doc.Devices.Count; i++)
        {
            var line = lines.GetValueOrDefault(("devices", i));
            var rule = Check(doc.Devices[i], line, accounts, Section.Devices, doc.Version);
            devices.Add(Device(doc.Devices[i].Device, rule.Path.Pattern, $"{FilePath} line {line}"));
            rules.Add(rule);
        }

        for (var i = 0; i < doc.Rules.Count; i++)
        {
            rules.Add(Check(doc.Rules[i], lines.GetValueOrDefault(("rules", i)), accounts, Section.Rules, doc.Version));
        }

        return new MetadataRules(rules, directories, devices);
    }

    private enum Section
    {
        Rules,
        Directories,
        Devices,
    }

    private static MetadataDevice Device(string? spec, string path, string where)
    {
        var parts = (spec ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (parts)
        {
            case ["fifo"]:
                return new MetadataDevice(path, MetadataDevice.FifoType, 0, 0);
            case [var type and ("char" or "block"), var major, var minor]
                when uint.TryParse(major, NumberStyles.None, CultureInfo.InvariantCulture, out var ma)
                     && uint.TryParse(minor, NumberStyles.None, CultureInfo.InvariantCulture, out var mi):
                return new MetadataDevice(path, type == "char" ? MetadataDevice.CharType : MetadataDevice.BlockType, ma, mi);
            default:
                throw new BadInputException($"{where}: device '{spec}' is not 'char MAJOR MINOR', 'block MAJOR MINOR' or 'fifo'");
        }
    }

    private static byte[]? Capability(string? hex, string where)
    {
        if (hex is null)
        {
            return null;
        }

        try
        {
            var bytes = Convert.FromHexString(hex);
            return bytes.Length > 0 ? bytes : throw new FormatException();
        }
        catch (FormatException e)
        {
            throw new BadInputException($"{where}: capability '{hex}' is not a non-empty hex string", e);
        }
    }

    private static MetadataRule Check(MetadataRuleDocument item, int line, AccountNames accounts, Section section, int version)
    {
        var where = $"{FilePath} line {line}";
        var allowGlob = section == Section.Rules;
        if (version < 2 && (section == Section.Devices || item.Capability is not null))
        {
            throw new BadInputException($"{where}: devices and capabilities need version: 2");
        }

        if (item.Device is not null && section != Section.Devices)
        {
            throw new BadInputException($"{where}: 'device' belongs in the devices list");
        }

        if (item.Capability is not null && section != Section.Rules)
        {
            throw new BadInputException($"{where}: 'capability' belongs in the rules list");
        }
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
            throw new BadInputException($"{where}: {(section == Section.Devices ? "device" : "directory")} path '{path}' must not be a glob");
        }

        // The view's paths are the tree's bytes one char each (Latin-1); the file's text is UTF-8.
        path = Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(path));
        var capability = Capability(item.Capability, where);

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
        if (allowGlob && uid is null && gid is null && permissions is null && capability is null)
        {
            throw new BadInputException($"{where}: rule for '{path}' sets none of owner, group, mode, capability");
        }

        return new MetadataRule(new PathGlob(path), uid, gid, permissions, line, capability);
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
