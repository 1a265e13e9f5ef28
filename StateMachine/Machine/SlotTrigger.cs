namespace Webc.BootSafe.StateMachine.Machine;

public enum SlotTrigger
{
    Stage,
    Unstage,
    BootObserved,
    HealthPassed,
    HealthFailed,
    Unfail,
    KnownGoodCameUp,
}
