using System.Collections.Immutable;
using Webc.BootSafe.Bootloader.Simulation;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Updates.Boot;

/// <summary>
/// Steps a whole boot: ldlinux chooses from the real files, the chosen revision behaves as
/// <c>outcomeOf</c> says, and BootSafe reacts as the initramfs and the health service will: the
/// initramfs reports the boot (BootObserved), then the health verdict is fired for a trial.
/// </summary>
public sealed class BootSimulator(Ldlinux ldlinux, MediumSession session, Func<DateTimeOffset> clock)
{
    public SimulatedBoot Boot(Func<BootChoice, BootOutcome> outcomeOf, BootFaults? faults = null)
    {
        var choice = ldlinux.Boot(faults);
        if (choice.Hung || choice.Revision is not { } revision)
        {
            return new SimulatedBoot(choice, null, []);
        }

        var outcome = outcomeOf(choice);
        if (outcome == BootOutcome.KernelPanics)
        {
            return new SimulatedBoot(choice, outcome, []);
        }

        var fired = ImmutableList.CreateBuilder<Outcome>();
        var now = clock();
        var observed = session.Fire(new BootObserved(revision, choice.Slot), now);
        fired.Add(observed);
        var trying = observed.Transition.After.State == SlotState.Trying;
        if (observed.RebootReason is null && trying && outcome is BootOutcome.Healthy or BootOutcome.HealthFails)
        {
            fired.Add(session.Fire(
                outcome == BootOutcome.Healthy ? new HealthPassed() : new HealthFailed("simulated health check failed"),
                now));
        }

        return new SimulatedBoot(choice, outcome, fired.ToImmutable());
    }
}
