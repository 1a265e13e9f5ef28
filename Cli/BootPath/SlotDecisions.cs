using System.Collections.Immutable;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.StateMachine.Storage;

namespace Webc.BootSafe.Cli.BootPath;

/// <summary>
/// The one place where the boot-path commands reach the medium: take the lock, load the record,
/// fire one event, and have the bootloader carry out the actions with the commit at the point its
/// crash-safe order requires.
/// </summary>
public sealed class SlotDecisions(MediumLayout layout, IMediumStorage storage)
{
    public MediumLayout Layout => layout;

    /// <summary>The record as it is now (read under the lock, which is released on return).</summary>
    public SlotRecord Read()
    {
        using var session = SlotSession.Open(layout, storage, SlotSession.DefaultLockTimeout);
        return session.Record;
    }

    public Decision Fire(SlotEvent e, DateTimeOffset now)
    {
        using var session = SlotSession.Open(layout, storage, SlotSession.DefaultLockTimeout);
        var transition = SlotMachine.Fire(session.Record, e, now);
        var (steps, reboot, warnings) = BootloaderActions.Apply(layout, storage, transition, session.Store.Commit);
        return new Decision(transition, steps, reboot, session.Recovery) { Warnings = warnings };
    }
}
