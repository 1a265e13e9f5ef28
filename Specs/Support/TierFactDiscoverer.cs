using Xunit.Abstractions;
using Xunit.Sdk;

namespace Webc.BootSafe.Specs.Support;

/// <summary>
/// Discovers host and lab facts: under CI=true a missing prerequisite becomes a failing test case
/// naming it (so CI cannot pass by skipping); otherwise the attribute's Skip decides as usual.
/// </summary>
public sealed class TierFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        TierDiscovery.RefusedInCi(DiagnosticMessageSink, discoveryOptions, testMethod, factAttribute)
        ?? base.Discover(discoveryOptions, testMethod, factAttribute);
}
