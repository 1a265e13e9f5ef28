using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Updates.Operator;

/// <summary>Use case "mark-good": an operator passes the running trial (Trying); it becomes known-good.</summary>
public static class MarkGood
{
    public static Outcome Run(MediumSession session, DateTimeOffset now) => session.Fire(new HealthPassed(), now);
}
