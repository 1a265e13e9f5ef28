using System.Collections.Immutable;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Bootloader.Simulation;

/// <summary>
/// What the modelled ldlinux did on one boot: the label and files it loaded and the kernel command
/// line, or that it hung at the prompt. <see cref="Steps"/> says why, in the order it decided.
/// </summary>
public sealed record BootChoice(
    string? Label,
    string? Kernel,
    string? Initrd,
    string? CommandLine,
    bool ViaBootOnce,
    ImmutableList<string> Steps)
{
    public bool Hung => Label is null;

    /// <summary>The <c>git-revision=</c> the kernel receives, when it names a full commit.</summary>
    public Revision? Revision => BootArguments.Parse(CommandLine).Revision;

    /// <summary>The <c>bootsafe.slot=</c> the kernel receives.</summary>
    public string? Slot => BootArguments.Parse(CommandLine).Slot;
}
