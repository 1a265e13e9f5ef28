using Xunit.Sdk;

namespace Webc.BootSafe.Specs.Support;

/// <summary>
/// A host-tier fact: needs root (unless <see cref="Root"/> is false) and the named tools. Skipped
/// with the reason when they are missing, failed instead under CI=true. Mark the class
/// <c>[Trait(Tier.Name, Tier.Host)]</c> too (a spec checks it).
/// </summary>
[XunitTestCaseDiscoverer("Webc.BootSafe.Specs.Support.TierFactDiscoverer", "Webc.BootSafe.Specs")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class HostFactAttribute(params string[] tools) : FactAttribute, ITierRequirement
{
    private string? _skip;

    public string[] Tools { get; } = tools;

    public bool Root { get; set; } = true;

    public string? Missing => Prerequisites.MissingHere(Root, Tools);

    public override string? Skip
    {
        get => _skip ?? (Prerequisites.InCi ? null : Missing);
        set => _skip = value;
    }
}
