using System.Collections.Immutable;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Cli.BootPath;

/// <summary>
/// Carries out a transition's actions on the bootloader and commits the record in between (the
/// Bootloader's applier defines that order). Returns the steps taken and the reboot reason, if any.
/// </summary>
internal static class BootloaderActions
{
    public static (ImmutableList<string> Steps, string? RebootReason) Apply(
        MediumLayout layout, IMediumStorage storage, Transition transition, Action<Transition> commit)
    {
        // TODO(wire): Bootloader.Applying.BootloaderApplier once it is on main; until then only the
        // record is committed and the bootloader actions are reported as not carried out.
        _ = layout;
        _ = storage;
        commit(transition);
        var steps = ImmutableList.Create($"committed state {transition.After.State} (generation {transition.After.Generation})");
        foreach (var action in transition.Actions.Where(a => a is not Reboot))
        {
            steps = steps.Add($"NOT carried out (bootloader applier not wired yet): {action}");
        }

        return (steps, transition.Actions.OfType<Reboot>().FirstOrDefault()?.Reason);
    }
}
