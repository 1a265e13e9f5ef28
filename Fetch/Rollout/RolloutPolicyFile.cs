using System.Globalization;
using System.Text.RegularExpressions;
using Webc.BootSafe.Medium.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Webc.BootSafe.Fetch.Rollout;

/// <summary>
/// Reads <c>.bootsafe/rollout.yaml</c> from a release commit's tree (signed with the commit):
/// <code>
/// waves:
///   - percent: 1
///     not-before: 2026-12-03T08:00:00Z
///   - percent: 100
///     not-before: 2026-12-06T08:00:00Z
/// </code>
/// Parsed with the representation model (as config.yaml is) so every error names its line, and so
/// it stays NativeAOT-safe without reflection.
/// </summary>
public static partial class RolloutPolicyFile
{
    public const string PathInTree = ".bootsafe/rollout.yaml";

    public static RolloutPolicy Parse(string text, string path = PathInTree)
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

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var line = stream.Documents.Count > 0 ? stream.Documents[0].RootNode.Start.Line : 1;
            throw new BadInputException($"{path} line {line}: expected one mapping with 'waves:'");
        }

        YamlSequenceNode? waves = null;
        foreach (var (key, value) in root.Children)
        {
            switch (Key(key, path))
            {
                case "version" when value is YamlScalarNode { Value: "1" }:
                    break;
                case "version":
                    throw new BadInputException($"{path} line {value.Start.Line}: only version 1 is known");
                case "waves" when value is YamlSequenceNode list:
                    waves = list;
                    break;
                case "waves":
                    throw new BadInputException($"{path} line {value.Start.Line}: 'waves' must be a list of {{percent, not-before}}");
                case var other:
                    throw new BadInputException($"{path} line {key.Start.Line}: unknown key '{other}' (known: version, waves)");
            }
        }

        if (waves is null || waves.Children.Count == 0)
        {
            throw new BadInputException($"{path} line {(waves ?? (YamlNode)root).Start.Line}: at least one wave is needed (percent 0 halts)");
        }

        var parsed = new List<RolloutWave>();
        foreach (var node in waves.Children)
        {
            var wave = Wave(node, path);
            if (parsed.Count > 0 && (wave.BasisPoints < parsed[^1].BasisPoints || wave.NotBefore < parsed[^1].NotBefore))
            {
                throw new BadInputException(
                    $"{path} line {node.Start.Line}: wave '{wave}' narrows or precedes '{parsed[^1]}': waves only widen, in time order");
            }

            parsed.Add(wave);
        }

        return new RolloutPolicy(parsed);
    }

    private static RolloutWave Wave(YamlNode node, string path)
    {
        var at = $"{path} line {node.Start.Line}";
        if (node is not YamlMappingNode map)
        {
            throw new BadInputException($"{at}: a wave is a mapping of percent and not-before");
        }

        int? basisPoints = null;
        DateTimeOffset? notBefore = null;
        foreach (var (key, value) in map.Children)
        {
            var name = Key(key, path);
            var line = $"{path} line {value.Start.Line}";
            var scalar = value is YamlScalarNode { Value: { } s } ? s : throw new BadInputException($"{line}: '{name}' must be a single value");
            switch (name)
            {
                case "percent":
                    basisPoints = Percent(scalar, line);
                    break;
                case "not-before":
                    notBefore = Time(scalar, line);
                    break;
                default:
                    throw new BadInputException($"{path} line {key.Start.Line}: unknown key '{name}' in a wave (known: percent, not-before)");
            }
        }

        return new RolloutWave(
            basisPoints ?? throw new BadInputException($"{at}: the wave has no 'percent'"),
            notBefore ?? throw new BadInputException($"{at}: the wave has no 'not-before'"));
    }

    private static string Key(YamlNode key, string path) =>
        key is YamlScalarNode { Value: { } name } ? name : throw new BadInputException($"{path} line {key.Start.Line}: a key must be a plain name");

    private static int Percent(string text, string at)
    {
        if (!PercentPattern().IsMatch(text)
            || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent)
            || percent > 100)
        {
            throw new BadInputException($"{at}: percent '{text}' must be a number from 0 to 100 with at most two decimals");
        }

        return (int)(percent * 100);
    }

    private static DateTimeOffset Time(string text, string at)
    {
        string[] formats = ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm'Z'"];
        return DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new BadInputException($"{at}: not-before '{text}' must be a UTC time like 2026-12-03T08:00:00Z");
    }

    [GeneratedRegex(@"^[0-9]{1,3}(\.[0-9]{1,2})?$")]
    private static partial Regex PercentPattern();
}
