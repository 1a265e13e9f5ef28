namespace Webc.BootSafe.Bootloader.Simulation;

/// <summary>Faults the simulated boot code meets on one boot.</summary>
/// <param name="AdvWriteFails">The boot-time write of the ADV fails; ldlinux ignores the error, so the once entry stays.</param>
public sealed record BootFaults(bool AdvWriteFails = false)
{
    public static BootFaults None { get; } = new();
}
