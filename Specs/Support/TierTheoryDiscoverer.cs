using Xunit.Abstractions;
using Xunit.Sdk;

namespace Webc.BootSafe.Specs.Support;

/// <summary>The theory counterpart of <see cref="TierFactDiscoverer"/>.</summary>
public sealed class TierTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        TierDiscovery.RefusedInCi(DiagnosticMessageSink, discoveryOptions, testMethod, theoryAttribute)
        ?? base.Discover(discoveryOptions, testMethod, theoryAttribute);
}
