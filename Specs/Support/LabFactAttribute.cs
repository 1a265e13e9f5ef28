using Xunit.Sdk;

namespace Webc.BootSafe.Specs.Support;

/// <summary>
/// A lab-tier fact: boots QEMU, so needs root, qemu-system-x86_64 and the kernel `make deps` puts in
/// $BOOTSAFE_CACHE. Skipped with the reason when they are missing, failed instead under CI=true.
/// Mark the class <c>[Trait(Tier.Name, Tier.Lab)]</c> too (a spec checks it).
/// </summary>
[XunitTestCaseDiscoverer("Webc.BootSafe.Specs.Support.TierFactDiscoverer", "Webc.BootSafe.Specs")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class LabFactAttribute : FactAttribute, ITierRequirement
{
    private string? _skip;

    public string? Missing => Prerequisites.MissingHere(root: true, ["qemu-system-x86_64"], RepoPaths.Kernel);

    public override string? Skip
    {
        get => _skip ?? (Prerequisites.InCi ? null : Missing);
        set => _skip = value;
    }
}
