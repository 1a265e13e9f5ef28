namespace Webc.BootSafe.Medium.Storage;

/// <summary>What <see cref="StateYamlReader"/> reads: the few YAML node kinds a slot record is made of.</summary>
internal abstract record YamlNode;

/// <summary>A scalar; <see cref="Value"/> is null for an empty plain scalar, <c>~</c> or <c>null</c>.</summary>
internal sealed record YamlScalar(string? Value) : YamlNode
{
    public static readonly YamlScalar Null = new(Value: null);
}

internal sealed record YamlList(IReadOnlyList<YamlNode> Items) : YamlNode;

/// <summary>A mapping in file order (a duplicate key is the codec's to refuse).</summary>
internal sealed record YamlMap(IReadOnlyList<KeyValuePair<string, YamlNode>> Entries) : YamlNode;
