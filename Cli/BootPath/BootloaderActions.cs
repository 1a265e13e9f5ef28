using System.Collections.Immutable;
using Webc.BootSafe.Bootloader;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Cli.BootPath;

/// <summary>
/// Carries out a transition's actions on the medium's bootloader (ADV boot-once, extlinux.conf,
/// kernel files) with the record committed at the point the Bootloader's applier puts it in its
/// crash-safe order. Returns the steps taken and the reboot reason, if any.
/// </summary>
internal static class BootloaderActions
{
    public static (ImmutableList<string> Steps, string? RebootReason, ImmutableList<string> Warnings) Apply(
        MediumLayout layout, IMediumStorage storage, Transition transition, Action<Transition> commit)
    {
        var applied = new MediumBootloader(layout, storage).Applier.Apply(transition, commit);
        return (applied.Steps, applied.RebootReason, applied.Warnings);
    }
}
