namespace Webc.BootSafe.StateMachine.Slots;

/// <summary>What the initramfs saw last: which revision came up, through which label, and when.</summary>
public sealed record ObservedBoot(Revision Revision, string? Slot, DateTimeOffset At);
