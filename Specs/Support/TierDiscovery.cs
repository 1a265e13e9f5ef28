using Xunit.Abstractions;
using Xunit.Sdk;

namespace Webc.BootSafe.Specs.Support;

/// <summary>The CI rule both tier discoverers share.</summary>
internal static class TierDiscovery
{
    public static IXunitTestCase[]? RefusedInCi(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo attribute)
    {
        if (!Prerequisites.InCi
            || attribute is not IReflectionAttributeInfo { Attribute: ITierRequirement requirement }
            || requirement.Missing is not { } missing)
        {
            return null;
        }

        return
        [
            new ExecutionErrorTestCase(
                sink,
                options.MethodDisplayOrDefault(),
                options.MethodDisplayOptionsOrDefault(),
                method,
                $"CI=true and this spec {missing}: CI must run it, not skip it"),
        ];
    }
}
