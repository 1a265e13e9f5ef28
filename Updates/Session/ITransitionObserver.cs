using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Updates.Session;

/// <summary>
/// Told by <see cref="MediumSession"/> of every committed transition and every recorded refusal
/// (the fleet's reports). It runs after the commit, under the medium lock, on the boot path too: it
/// must not do network, must be quick when it has nothing to do, and must not throw (a report is
/// never worth failing a transition that is already committed): it returns warnings instead.
/// </summary>
public interface ITransitionObserver
{
    IReadOnlyList<string> Transitioned(Transition transition);

    IReadOnlyList<string> Refused(SlotRecord record, string what, Revision? revision, string reason, DateTimeOffset at);
}
