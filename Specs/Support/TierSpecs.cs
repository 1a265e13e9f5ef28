using System.Reflection;

namespace Webc.BootSafe.Specs.Support;

/// <summary>The tier rules: host and lab specs skip with a reason outside CI, fail in CI, and carry their trait.</summary>
public sealed class TierSpecs
{
    private static readonly Func<string, bool> Everything = _ => true;

    [Fact]
    public void A_host_spec_needs_root_first_then_each_tool()
    {
        Assert.Equal("needs root (loop devices, mounts, FUSE)", Prerequisites.Missing(root: true, isRoot: false, ["extlinux"], Everything));
        Assert.Equal("needs extlinux on PATH (make deps)", Prerequisites.Missing(root: true, isRoot: true, ["extlinux"], t => t != "extlinux"));
        Assert.Null(Prerequisites.Missing(root: true, isRoot: true, ["extlinux"], Everything));
        Assert.Null(Prerequisites.Missing(root: false, isRoot: false, ["gcc"], Everything));
        Assert.Equal("needs /k (make deps)", Prerequisites.Missing(root: true, isRoot: true, [], Everything, "/k", _ => false));
    }

    [Fact]
    public void On_this_machine_a_host_fact_skips_with_the_reason_unless_root_or_in_CI()
    {
        var fact = new HostFactAttribute();
        var expected = Prerequisites.InCi || Prerequisites.IsRoot ? null : "needs root (loop devices, mounts, FUSE)";

        Assert.Equal(expected, fact.Skip);
        Assert.Equal(Prerequisites.IsRoot ? null : "needs root (loop devices, mounts, FUSE)", fact.Missing);
        Assert.Null(new HostFactAttribute("sh") { Root = false }.Missing);
    }

    [Fact]
    public void A_lab_fact_needs_qemu_and_the_kernel_as_well()
    {
        var missing = new LabFactAttribute().Missing;
        var expected = Prerequisites.MissingHere(root: true, ["qemu-system-x86_64"], RepoPaths.Kernel);

        Assert.Equal(expected, missing);
        Assert.Equal(Prerequisites.InCi ? null : missing, new LabTheoryAttribute().Skip);
    }

    [Fact]
    public void Every_host_or_lab_spec_carries_its_tier_trait_so_test_fast_filters_it_out()
    {
        var wrong = typeof(TierSpecs).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(m => (t, m)))
            .Select(x => (Name: $"{x.t.Name}.{x.m.Name}", Attribute: x.m.GetCustomAttribute<FactAttribute>(), Tier: TierOf(x.m) ?? TierOf(x.t)))
            .Where(x => x.Attribute is not null)
            .Where(x => Expected(x.Attribute!) != x.Tier)
            .Select(x => $"{x.Name}: {x.Attribute!.GetType().Name} with Tier={x.Tier ?? "none"}")
            .ToList();

        Assert.Empty(wrong);
    }

    private static string? Expected(FactAttribute attribute) => attribute switch
    {
        HostFactAttribute or HostTheoryAttribute => Tier.Host,
        LabFactAttribute or LabTheoryAttribute => Tier.Lab,
        _ => null,
    };

    private static string? TierOf(MemberInfo member) =>
        member.GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[0].Value == Tier.Name)
            .Select(a => (string?)a.ConstructorArguments[1].Value)
            .FirstOrDefault();
}
