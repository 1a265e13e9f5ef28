using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Bootloader.Extlinux;

/// <summary>
/// What BootSafe puts into extlinux.conf besides the labels themselves. <see cref="TimeoutTenths"/>
/// is never 0: a boot-once naming a missing label then falls back to DEFAULT instead of waiting at
/// the <c>boot:</c> prompt forever (docs/reference: extlinux-boot-once).
/// </summary>
public sealed record BootEntryOptions
{
    /// <summary>
    /// The command line that boots the project's initramfs script from a medium install made: the
    /// medium by its label, the script, and panic=10: after a failure the kiosk reboots in 10 s
    /// instead of waiting at a shell (the kernel's own panic= and the script's delay read it; long
    /// enough to read the reason on a screen, short enough for an unattended machine).
    /// </summary>
    public const string DefaultAppend = $"root=LABEL={MediumLayout.FileSystemLabel} boot=webc-bootsafe panic=10";

    public const int DefaultTimeoutTenths = 30;

    public BootEntryOptions(string baseAppend = DefaultAppend, string? serial = null, int timeoutTenths = DefaultTimeoutTenths)
    {
        if (timeoutTenths <= 0)
        {
            throw new BadInputException($"timeout {timeoutTenths} must be > 0 (tenths of a second): with TIMEOUT 0 a missing boot-once label hangs at the boot: prompt");
        }

        if (baseAppend.Contains('\n') || (serial?.Contains('\n') ?? false))
        {
            throw new BadInputException("append and serial must be single lines");
        }

        if (baseAppend.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Any(BootArguments.IsOwned))
        {
            throw new BadInputException($"append '{baseAppend}' must not set {BootArguments.RevisionKey}= or {BootArguments.SlotKey}=: BootSafe adds them per label");
        }

        BaseAppend = baseAppend.Trim();
        Serial = string.IsNullOrWhiteSpace(serial) ? null : serial.Trim();
        TimeoutTenths = timeoutTenths;
    }

    /// <summary>Kernel command line every label starts with, e.g. <see cref="DefaultAppend"/>.</summary>
    public string BaseAppend { get; }

    /// <summary>Argument of a <c>SERIAL</c> line (e.g. <c>0 115200</c>), or null for none.</summary>
    public string? Serial { get; }

    public int TimeoutTenths { get; }
}
