using System.Collections.Immutable;

namespace Webc.BootSafe.Bootloader.Extlinux;

/// <summary>
/// The directives of a syslinux configuration that decide what boots, with the semantics of
/// ldlinux's readconfig.c: DEFAULT, TIMEOUT, ONERROR, ONTIMEOUT, PROMPT and UI are global wherever
/// they appear and the last one wins, except that a DEFAULT never replaces a UI (UI takes the
/// default command); labels are looked up by exact name, the first with the name wins.
/// </summary>
/// <param name="Ui">The UI module line: when set, ldlinux runs it instead of DEFAULT and the menu decides.</param>
/// <param name="Includes">Files INCLUDE / MENU INCLUDE read, as the resolver named them, in order.</param>
public sealed record SyslinuxConfig(
    string? Default,
    int TimeoutTenths,
    string? OnError,
    bool Prompt,
    string? Serial,
    ImmutableArray<SyslinuxLabel> Labels,
    string? Ui = null,
    string? OnTimeout = null,
    ImmutableArray<string> Includes = default)
{
    /// <summary>syslinux looks labels up case-sensitively and takes the first with the name (find_label).</summary>
    public SyslinuxLabel? Find(string name) => Labels.FirstOrDefault(l => !l.Disabled && l.Name == name);

    /// <summary>Medium-relative paths (<c>/live/...</c>) of every kernel and initrd a label names.</summary>
    public IEnumerable<string> ReferencedFiles =>
        Labels.SelectMany(l => new[] { l.Kernel }.Concat((l.Initrd ?? string.Empty).Split(',')))
            .Where(p => !string.IsNullOrWhiteSpace(p))
            .Select(p => p!.Trim());
}
