using Webc.BootSafe.StateMachine.Slots;
namespace Webc.BootSafe.Bootloader.Extlinux;

/// <summary>One <c>LABEL</c> of a syslinux configuration as the boot code sees it.</summary>
public sealed record SyslinuxLabel(string Name, string? Kernel, string? Initrd, string? Append)
{
    /// <summary>The value of <c>key=</c> on the APPEND line (the last one wins, as in the kernel).</summary>
    public string? Parameter(string key) => BootArguments.Parameter(Append, key);

    /// <summary>The revision this label boots, per its <c>git-revision=</c>.</summary>
    public string? RevisionText => Parameter(BootArguments.RevisionKey);
}
