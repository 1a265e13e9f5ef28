using System.Collections.Immutable;
using Webc.BootSafe.Bootloader.Applying;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Bootloader.Simulation;

/// <summary>
/// Steps a whole boot: ldlinux chooses from the real files, the chosen revision behaves as
/// <c>outcomeOf</c> says, and BootSafe reacts as the initramfs and the health service will: the
/// initramfs reports the boot (BootObserved), then the health verdict is fired for a trial.
/// </summary>
public sealed class BootSimulator(Ldlinux ldlinux, SlotDriver driver)
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

        var applied = ImmutableList.CreateBuilder<AppliedTransition>();
        var observed = driver.Fire(new BootObserved(revision, choice.Slot));
        applied.Add(observed);
        var trying = observed.Transition.After.State == SlotState.Trying;
        if (observed.RebootReason is null && trying && outcome is BootOutcome.Healthy or BootOutcome.HealthFails)
        {
            applied.Add(driver.Fire(outcome == BootOutcome.Healthy
                ? new HealthPassed()
                : new HealthFailed("simulated health check failed")));
        }

        return new SimulatedBoot(choice, outcome, applied.ToImmutable());
    }
}
