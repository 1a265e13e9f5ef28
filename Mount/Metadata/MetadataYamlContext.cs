using YamlDotNet.Serialization;

namespace Webc.BootSafe.Mount.Metadata;

/// <summary>Generated (de)serialization code for the metadata file: no reflection, so it works under NativeAOT.</summary>
[YamlStaticContext]
[YamlSerializable(typeof(MetadataDocument))]
[YamlSerializable(typeof(MetadataRuleDocument))]
public partial class MetadataYamlContext : StaticContext;
