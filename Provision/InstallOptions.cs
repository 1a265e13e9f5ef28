namespace Webc.BootSafe.Provision;

/// <summary>The command's inputs, as given (validated by <see cref="Installer"/> before anything is written).</summary>
public sealed record InstallOptions(
    string Target,
    string Repository,
    string Revision,
    string? Size = null,
    string? Config = null,
    bool DryRun = false,
    bool Yes = false,
    string Append = Bootloader.Extlinux.BootEntryOptions.DefaultAppend,
    string? Serial = null);
