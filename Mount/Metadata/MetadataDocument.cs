namespace Webc.BootSafe.Mount.Metadata;

/// <summary>
/// The YAML shape of <c>.bootsafe/metadata.yaml</c> (see docs/git-fs.md). Mutable classes because
/// the static YAML deserializer fills them by property; <see cref="MetadataRules"/> is the checked form.
/// </summary>
public sealed class MetadataDocument
{
    public int Version { get; set; } = 1;

    public List<MetadataRuleDocument> Rules { get; set; } = [];

    public List<MetadataRuleDocument> Directories { get; set; } = [];

    /// <summary>Version 2: device nodes and FIFOs the view adds (git cannot hold them).</summary>
    public List<MetadataRuleDocument> Devices { get; set; } = [];
}

/// <summary>One rule (a path or glob with any of owner, group, mode, capability), one extra directory, or one device node.</summary>
public sealed class MetadataRuleDocument
{
    public string? Path { get; set; }

    public string? Owner { get; set; }

    public string? Group { get; set; }

    public string? Mode { get; set; }

    /// <summary>Version 2, rules only: the raw security.capability xattr value, in hex.</summary>
    public string? Capability { get; set; }

    /// <summary>Version 2, devices only: "char MAJOR MINOR", "block MAJOR MINOR" or "fifo".</summary>
    public string? Device { get; set; }
}
