using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Updates.Operator;

/// <summary>
/// Use case "unfail": an operator lifts a wrongly blacklisted revision from the failed set, so it can
/// be staged (or fetched) again without --force. Allowed in every state; nothing but the failed set
/// changes, the bootloader is not touched, and the history records the operator's reason. The
/// machine refuses a revision that is not in the failed set.
/// </summary>
public static class UnfailRevision
{
    public static Outcome Run(MediumSession session, Revision revision, string reason, DateTimeOffset now) =>
        session.Fire(new Unfail(revision, reason), now);
}
