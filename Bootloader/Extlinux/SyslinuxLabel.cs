namespace Webc.BootSafe.Bootloader.Extlinux;

/// <summary>One <c>LABEL</c> of a syslinux configuration as the boot code sees it.</summary>
public sealed record SyslinuxLabel(string Name, string? Kernel, string? Initrd, string? Append)
{
    /// <summary>The value of <c>key=</c> on the APPEND line (the last one wins, as in the kernel).</summary>
    public string? Parameter(string key) => KernelCommandLine.Parameter(Append, key);
}
