using Webc.BootSafe.Bootloader.Applying;

namespace Webc.BootSafe.Specs.Bootloader.Support;

/// <summary>BOOTONCE in memory, logging each write so specs can check where in the order it happens.</summary>
public sealed class MemoryBootOnce(Action<string>? log = null) : IBootOnce
{
    public string? Value { get; private set; }

    public string? Read() => Value;

    public void Write(string? commandLine)
    {
        Value = commandLine;
        log?.Invoke("bootonce " + (commandLine ?? "-"));
    }
}
