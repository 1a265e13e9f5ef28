using System.Collections.Immutable;
using Webc.BootSafe.Bootloader.Simulation;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Updates.Boot;

/// <summary>One simulated boot: what ldlinux chose, how it went, and what BootSafe did about it.</summary>
public sealed record SimulatedBoot(BootChoice Choice, BootOutcome? Outcome, ImmutableList<Outcome> Transitions)
{
    /// <summary>The behaviours `bootloader simulate-boot --outcome` can give the booted revision, by name.</summary>
    public static readonly IReadOnlyDictionary<string, BootOutcome> Behaviours = new Dictionary<string, BootOutcome>
    {
        ["healthy"] = BootOutcome.Healthy, ["panic"] = BootOutcome.KernelPanics, ["initramfs-fails"] = BootOutcome.InitramfsFails, ["health-fails"] = BootOutcome.HealthFails,
    };

    public string? RebootReason => Transitions.Select(t => t.RebootReason).LastOrDefault(r => r is not null);

    /// <summary>The machine goes down again: the boot failed before a verdict, or a transition asked for a reboot.</summary>
    public bool MachineReboots => Outcome is BootOutcome.KernelPanics or BootOutcome.InitramfsFails || RebootReason is not null;

    /// <summary>The behaviour <paramref name="name"/> names; bad input naming the known ones otherwise.</summary>
    public static BootOutcome Behaviour(string? name) =>
        Behaviours.TryGetValue(name ?? string.Empty, out var known) ? known : throw new BadInputException($"--outcome '{name}' is not one of {string.Join(", ", Behaviours.Keys)}");
}
