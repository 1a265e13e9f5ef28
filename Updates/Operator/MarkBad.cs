using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Updates.Operator;

/// <summary>
/// Use case "mark-bad": an operator fails the running trial (Trying); it is rolled back, recorded
/// in the failed set with the operator's reason, and never staged again unless forced.
/// </summary>
public static class MarkBad
{
    public static Outcome Run(MediumSession session, string reason, DateTimeOffset now) =>
        session.Fire(new HealthFailed("marked bad by an operator: " + reason), now);

    /// <summary>As above, in a session of its own that is closed (the lock released) on return, before any reboot.</summary>
    public static Outcome Run(Func<MediumSession> openSession, string reason, DateTimeOffset now)
    {
        using var session = openSession();
        return Run(session, reason, now);
    }
}
