using Webc.BootSafe.StateMachine.Slots;
namespace Webc.BootSafe.Bootloader.Extlinux;

/// <summary>One <c>LABEL</c> of a syslinux configuration as the boot code sees it.</summary>
/// <param name="Kernel">The file it loads: its LINUX/KERNEL/COM32/... line, else (as in readconfig.c) the label's own name.</param>
/// <param name="Disabled">Under <c>MENU DISABLE</c>: readconfig.c records it without a name, so nothing can boot it by name.</param>
public sealed record SyslinuxLabel(string Name, string? Kernel, string? Initrd, string? Append, bool Disabled = false)
{
    /// <summary>The value of <c>key=</c> on the APPEND line (the last one wins, as in the kernel).</summary>
    public string? Parameter(string key) => BootArguments.Parameter(Append, key);

    /// <summary>The revision this label boots, per its <c>git-revision=</c>.</summary>
    public string? RevisionText => Parameter(BootArguments.RevisionKey);
}
