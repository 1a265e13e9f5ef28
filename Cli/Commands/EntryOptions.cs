using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>--append, --serial, --timeout: given ones override what the medium was last written with.</summary>
internal sealed class EntryOptions
{
    private readonly Option<string?> _append = new("--append") { Description = $"Base kernel command line of every label (default: as on the medium, else '{BootEntryOptions.DefaultAppend}')" };
    private readonly Option<string?> _serial = new("--serial") { Description = "SERIAL directive argument, e.g. '0 115200'" };
    private readonly Option<int?> _timeout = new("--timeout") { Description = $"TIMEOUT in tenths of a second, > 0 (default {BootEntryOptions.DefaultTimeoutTenths})" };

    public void AddTo(Command command)
    {
        command.Options.Add(_append);
        command.Options.Add(_serial);
        command.Options.Add(_timeout);
    }

    public BootEntryOptions Read(ParseResult parse, MediumLayout layout)
    {
        var current = BootEntryOptionsReader.FromFile(new ExtlinuxConfigFile(layout, new PosixMediumStorage()));
        return new BootEntryOptions(parse.GetValue(_append) ?? current.BaseAppend, parse.GetValue(_serial) ?? current.Serial, parse.GetValue(_timeout) ?? current.TimeoutTenths);
    }
}
