using Webc.BootSafe.StateMachine.Slots;
namespace Webc.BootSafe.Bootloader.Extlinux;

/// <summary>
/// The options a medium was last written with, read back from its managed block, so a command that
/// only moves labels (promote, roll back) keeps the operator's APPEND, SERIAL and TIMEOUT.
/// </summary>
public static class BootEntryOptionsReader
{
    /// <summary>The options <paramref name="config"/> was last written with, else the defaults.</summary>
    public static BootEntryOptions FromFile(ExtlinuxConfigFile config) => FromDocument(config.ReadDocument()) ?? new BootEntryOptions();

    public static BootEntryOptions? FromDocument(ExtlinuxConfigDocument document)
    {
        if (document.ManagedBlock is null)
        {
            return null;
        }

        var config = SyslinuxConfigParser.Parse(document.ManagedBlock);
        if (config.Find("good") is not { } good)
        {
            return null;
        }

        var append = string.Join(' ', (good.Append ?? string.Empty)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !BootArguments.IsOwned(w)));
        return new BootEntryOptions(
            append,
            config.Serial,
            config.TimeoutTenths > 0 ? config.TimeoutTenths : BootEntryOptions.DefaultTimeoutTenths);
    }
}
