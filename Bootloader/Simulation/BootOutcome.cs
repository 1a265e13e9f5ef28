namespace Webc.BootSafe.Bootloader.Simulation;

/// <summary>How a simulated boot of a revision goes after ldlinux loaded its kernel.</summary>
public enum BootOutcome
{
    /// <summary>The system comes up and its health checks pass.</summary>
    Healthy,

    /// <summary>The kernel panics before the initramfs runs: BootSafe observes nothing.</summary>
    KernelPanics,

    /// <summary>The initramfs sees the boot (select) but cannot mount the root: no health verdict.</summary>
    InitramfsFails,

    /// <summary>The system comes up and a required health check fails.</summary>
    HealthFails,
}
