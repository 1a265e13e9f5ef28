using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.StateMachine.Machine;

/// <summary>
/// Work the adapters must carry out after a transition. The machine never touches the bootloader
/// itself, so the Bootloader can apply these in a crash-safe order (docs/crash-safety.md).
/// </summary>
public abstract record SlotAction;

/// <summary>
/// Make extlinux.conf name exactly these labels (good always; trial and previous when present) and
/// their kernel files; files no label names any more may then be pruned.
/// </summary>
public sealed record WriteBootEntries(Revision Good, Revision? Trial, Revision? Previous) : SlotAction;

/// <summary>
/// Set the ADV's BOOTONCE to <paramref name="Label"/> (the trial's, or previous's when known-good does
/// not come up) so exactly the next boot tries <paramref name="Revision"/>.
/// </summary>
public sealed record ArmBootOnce(Revision Revision, SlotLabel Label = SlotLabel.Trial) : SlotAction;

/// <summary>Clear the ADV's BOOTONCE, so the next boot runs DEFAULT (known-good).</summary>
public sealed record DisarmBootOnce : SlotAction;

/// <summary>The running system must reboot (into known-good) for the decision to take effect.</summary>
public sealed record Reboot(string Reason) : SlotAction;
