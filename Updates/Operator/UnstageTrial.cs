using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Updates.Operator;

/// <summary>
/// Use case "unstage": withdraw a staged trial before it booted (Staged -> Stable): boot-once
/// disarmed, the trial label removed, the record committed, the trial's kernel files pruned.
/// Re-running it after an interruption finishes it; in any other state the machine refuses.
/// </summary>
public static class UnstageTrial
{
    public static Outcome Run(MediumSession session, DateTimeOffset now) => session.Fire(new Unstage(), now);
}
