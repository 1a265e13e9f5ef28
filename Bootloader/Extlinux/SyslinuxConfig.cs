using System.Collections.Immutable;

namespace Webc.BootSafe.Bootloader.Extlinux;

/// <summary>
/// The directives of a syslinux configuration that decide what boots, with syslinux's semantics:
/// DEFAULT, TIMEOUT, ONERROR and PROMPT are global wherever they appear, and the last one wins.
/// </summary>
public sealed record SyslinuxConfig(
    string? Default,
    int TimeoutTenths,
    string? OnError,
    bool Prompt,
    string? Serial,
    ImmutableArray<SyslinuxLabel> Labels)
{
    /// <summary>syslinux looks labels up case-sensitively and takes the first with the name.</summary>
    public SyslinuxLabel? Find(string name) => Labels.FirstOrDefault(l => l.Name == name);

    /// <summary>Medium-relative paths (<c>/live/...</c>) of every kernel and initrd a label names.</summary>
    public IEnumerable<string> ReferencedFiles =>
        Labels.SelectMany(l => new[] { l.Kernel }.Concat((l.Initrd ?? string.Empty).Split(',')))
            .Where(p => !string.IsNullOrWhiteSpace(p))
            .Select(p => p!.Trim());
}
