using YamlDotNet.Serialization;

namespace Webc.BootSafe.Medium.Storage;

/// <summary>Source-generated YAML type information, so state.yaml loads under NativeAOT.</summary>
[YamlStaticContext]
[YamlSerializable(typeof(StateDocument))]
[YamlSerializable(typeof(FailedDocument))]
[YamlSerializable(typeof(BootDocument))]
public partial class StateYamlContext : StaticContext;
