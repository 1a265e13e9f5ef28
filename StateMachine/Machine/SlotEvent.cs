using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.StateMachine.Machine;

/// <summary>Something that happened to the medium; the machine's triggers with their arguments.</summary>
public abstract record SlotEvent
{
    public abstract SlotTrigger Trigger { get; }
}

/// <summary>
/// Put a candidate on the medium as the trial. <paramref name="Force"/> allows a revision that failed
/// before; <paramref name="Unverified"/> says fetch's checks were skipped (`stage --no-verify`), so the
/// history line says so.
/// </summary>
public sealed record Stage(Revision Revision, bool Force = false, bool Unverified = false) : SlotEvent
{
    public override SlotTrigger Trigger => SlotTrigger.Stage;
}

/// <summary>Withdraw a staged trial before it booted.</summary>
public sealed record Unstage : SlotEvent
{
    public override SlotTrigger Trigger => SlotTrigger.Unstage;
}

/// <summary>The initramfs saw <paramref name="Revision"/> come up through extlinux label <paramref name="Slot"/>.</summary>
public sealed record BootObserved(Revision Revision, string? Slot = null) : SlotEvent
{
    public override SlotTrigger Trigger => SlotTrigger.BootObserved;
}

/// <summary>The running trial passed its required health checks.</summary>
public sealed record HealthPassed : SlotEvent
{
    public override SlotTrigger Trigger => SlotTrigger.HealthPassed;
}

/// <summary>The running trial failed a required health check.</summary>
public sealed record HealthFailed(string Reason) : SlotEvent
{
    public override SlotTrigger Trigger => SlotTrigger.HealthFailed;
}

/// <summary>
/// Known-good's userspace came up on this boot (the confirm service reached its verdict on a boot of
/// known-good): the boots counted as not coming up start again from zero.
/// </summary>
public sealed record KnownGoodCameUp : SlotEvent
{
    public override SlotTrigger Trigger => SlotTrigger.KnownGoodCameUp;
}

/// <summary>
/// An operator lifts <paramref name="Revision"/> from the failed set (it was blacklisted wrongly), so
/// it may be staged again without --force. <paramref name="Reason"/> is recorded in the history.
/// </summary>
public sealed record Unfail(Revision Revision, string Reason) : SlotEvent
{
    public override SlotTrigger Trigger => SlotTrigger.Unfail;
}
