using Webc.BootSafe.Bootloader;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Updates.Boot;

/// <summary>
/// What `bootloader show` reports, read without the lock: extlinux.conf's labels and whether their
/// files are on the medium, the kernel files in live/ and whether a label names them (the others are
/// pruned at the next update), and the ADV's copies and boot-once entry (null: no ldlinux.sys).
/// </summary>
public sealed record BootloaderReport(string ConfigPath, SyslinuxConfig Config, IReadOnlyList<BootloaderReport.Label> Labels, IReadOnlyList<BootloaderReport.KernelFile> Files, string AdvFile, AdvReadResult? Adv)
{
    /// <param name="Owned">A slot label BootSafe writes (good, trial, previous), not an operator's.</param>
    public sealed record Label(SyslinuxLabel Entry, bool FilesPresent, bool Owned);

    public sealed record KernelFile(string Name, bool Referenced);

    public static BootloaderReport Read(MediumBootloader bootloader)
    {
        var (layout, storage) = (bootloader.Layout, bootloader.Storage);
        var config = bootloader.Config.Read();
        var referenced = config.ReferencedFiles.ToHashSet(StringComparer.Ordinal);
        bool Exists(string? p) => p is not null && p.Split(',').All(f => storage.FileExists(KernelPaths.OnMedium(layout.Root, f.Trim())));
        return new BootloaderReport(
            layout.ExtlinuxConfig,
            config,
            [.. config.Labels.Select(l => new Label(l, Exists(l.Kernel) && Exists(l.Initrd), SlotLabels.FromName(l.Name) is not null))],
            [.. storage.ListFiles(layout.Live)
                .Where(n => n.StartsWith("vmlinuz-", StringComparison.Ordinal) || n.StartsWith("initrd-", StringComparison.Ordinal))
                .Select(n => new KernelFile(n, referenced.Contains("/live/" + n)))],
            bootloader.Adv.BootImagePath,
            storage.FileExists(bootloader.Adv.BootImagePath) ? bootloader.Adv.Read() : null);
    }

    /// <summary>The report as text: the config's header, each label on three lines, the kernel files in <paramref name="live"/>, the ADV.</summary>
    public IEnumerable<string> Lines(string live)
    {
        yield return $"{ConfigPath}: DEFAULT {Config.Default ?? "(none)"}, TIMEOUT {Config.TimeoutTenths}, ONERROR {Config.OnError ?? "(none)"}";
        foreach (var (l, present, owned) in Labels)
        {
            yield return $"  label {l.Name,-9} {l.RevisionText ?? "-",-40}  files {(present ? "present" : "MISSING")}{(owned ? string.Empty : "  (operator's)")}";
            yield return $"            LINUX {l.Kernel}  INITRD {l.Initrd}";
            yield return $"            APPEND {l.Append}";
        }

        yield return $"kernel files in {live}:";
        foreach (var f in Files)
        {
            yield return $"  {f.Name}{(f.Referenced ? string.Empty : "  (no label names it: pruned at the next update)")}";
        }

        yield return Adv is null
            ? $"ADV: {AdvFile} missing"
            : $"ADV ({AdvFile}): copy 0 {Adv.Copy0}, copy 1 {Adv.Copy1}; BOOTONCE {Adv.Adv.BootOnce ?? "(none): the next boot runs DEFAULT"}";
    }
}
