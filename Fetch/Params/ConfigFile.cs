using Webc.BootSafe.Medium.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Webc.BootSafe.Fetch.Params;

/// <summary>
/// Reads <c>live/bootsafe/config.yaml</c>: a flat mapping of known keys to scalars. Parsed with the
/// representation model rather than a typed deserializer so every error can name its line, and so
/// it stays NativeAOT-safe without reflection.
/// </summary>
public static class ConfigFile
{
    public static IReadOnlyList<Setting> Parse(string text, string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new BadInputException($"{path} line {e.Start.Line}: not valid YAML: {e.Message}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        if (stream.Documents.Count > 1)
        {
            throw new BadInputException($"{path}: expected one YAML document, found {stream.Documents.Count}");
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new BadInputException($"{path} line {stream.Documents[0].RootNode.Start.Line}: expected a mapping of key: value");
        }

        var settings = new List<Setting>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var line = keyNode.Start.Line;
            var origin = $"{path} line {line}";
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                throw new BadInputException($"{origin}: a key must be a plain name");
            }

            if (!ParameterKeys.IsKnown(key))
            {
                throw new BadInputException($"{origin}: unknown key '{key}' (known: {string.Join(", ", ParameterKeys.All)})");
            }

            if (!seen.Add(key))
            {
                throw new BadInputException($"{origin}: key '{key}' is given twice");
            }

            if (valueNode is not YamlScalarNode scalar)
            {
                throw new BadInputException($"{origin}: '{key}' must have a single value, not a list or mapping");
            }

            settings.Add(new Setting(key, scalar.Value, ParameterSource.ConfigFile, origin));
        }

        return settings;
    }
}
