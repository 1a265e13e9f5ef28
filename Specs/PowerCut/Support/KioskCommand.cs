using Webc.BootSafe.Bootloader.Simulation;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Specs.PowerCut.Support;

/// <summary>One command a kiosk runs that writes the boot medium.</summary>
public abstract record KioskCommand;

/// <summary>`stage REV` of a revision that will behave as <paramref name="Behaviour"/> when booted.</summary>
public sealed record StageCommand(Revision Revision, BootOutcome Behaviour) : KioskCommand
{
    public override string ToString() => $"stage {Revision.Short} ({Behaviour})";
}

/// <summary>
/// `fetch --stage`: on the medium it is a stage of a newer revision through the same Stager (the
/// fetch into live/filesystem.git is objects and a ref the boot never reads before the kernel runs).
/// </summary>
public sealed record FetchCommand(Revision Revision, BootOutcome Behaviour) : KioskCommand
{
    public override string ToString() => $"fetch+stage {Revision.Short} ({Behaviour})";
}

/// <summary>A power-on: ldlinux, the initramfs's `select`, then the health verdict for a trial.</summary>
public sealed record BootCommand : KioskCommand
{
    public override string ToString() => "boot";
}

public sealed record UnstageCommand : KioskCommand
{
    public override string ToString() => "unstage";
}
