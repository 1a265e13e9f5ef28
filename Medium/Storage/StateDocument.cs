using YamlDotNet.Serialization;

namespace Webc.BootSafe.Medium.Storage;

/// <summary>
/// The on-disk shape of state.yaml. Plain mutable classes because the static YAML context (NativeAOT)
/// needs parameterless construction; times are ISO-8601 round-trip strings so they load to the tick.
/// </summary>
[YamlSerializable]
public sealed class StateDocument
{
    public long Generation { get; set; }

    public string State { get; set; } = "";

    public string KnownGood { get; set; } = "";

    public string? Trial { get; set; }

    public string? Previous { get; set; }

    public int TrialBoots { get; set; }

    public int MaxTrialBoots { get; set; }

    public List<FailedDocument> Failed { get; set; } = [];

    public int UnconfirmedKnownGoodBoots { get; set; }

    public BootDocument? LastBoot { get; set; }
}

[YamlSerializable]
public sealed class FailedDocument
{
    public string Revision { get; set; } = "";

    public string Reason { get; set; } = "";

    public string At { get; set; } = "";
}

[YamlSerializable]
public sealed class BootDocument
{
    public string Revision { get; set; } = "";

    public string? Slot { get; set; }

    public string At { get; set; } = "";
}
