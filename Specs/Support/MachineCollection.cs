namespace Webc.BootSafe.Specs.Support;

/// <summary>
/// Specs that use loop devices, mounts, FUSE or QEMU share one machine (2 cores, 8 loop devices),
/// so they run one at a time in this collection. Each must clean up in finally.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MachineCollection
{
    public const string Name = "machine";
}
