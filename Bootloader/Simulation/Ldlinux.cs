using System.Collections.Immutable;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Bootloader.Simulation;

/// <summary>
/// A model of ldlinux.c32's choice of what to boot, reading the real extlinux.conf and ADV through the
/// storage port, with the behaviour the reference established on real boots
/// (extlinux-boot-once.md):
/// <list type="bullet">
/// <item>BOOTONCE, when present, is removed and the ADV written back (copy 0 first) before the kernel
/// loads; a failed write is ignored, so the entry then repeats;</item>
/// <item>the once string is a command line: its first word is the label, the rest is appended to its
/// APPEND; boot-once skips the prompt;</item>
/// <item>a label that does not exist boots DEFAULT when TIMEOUT &gt; 0 and waits at the prompt forever
/// when TIMEOUT is 0; a label whose kernel or initrd is missing runs ONERROR;</item>
/// <item>a torn ADV (copy 0 invalid) is read from copy 1;</item>
/// <item>the configuration is parsed as readconfig.c does (<see cref="SyslinuxConfigParser"/>: INCLUDE
/// read in place, the first label of a name wins, the last DEFAULT wins unless a UI line was seen);
/// PROMPT 1 waits at the prompt and a timeout there runs ONTIMEOUT, else DEFAULT; a UI module is not
/// modelled (the boot counts as not predicted).</item>
/// </list>
/// </summary>
public sealed class Ldlinux(MediumLayout layout, IMediumStorage storage)
{
    public BootChoice Boot(BootFaults? faults = null)
    {
        faults ??= BootFaults.None;
        var steps = ImmutableList.CreateBuilder<string>();
        var configFile = new ExtlinuxConfigFile(layout, storage);
        if (!configFile.Exists)
        {
            steps.Add($"no {layout.ExtlinuxConfig}: waits at the boot: prompt");
            return new BootChoice(null, null, null, null, false, steps.ToImmutable());
        }

        var config = configFile.Read();
        var once = ConsumeBootOnce(faults, steps);
        if (once is not null)
        {
            return Resolve(config, once, viaOnce: true, steps);
        }

        if (config.Ui is { } ui)
        {
            // readconfig.c: a UI line takes the default command and a later DEFAULT does not replace it.
            return Hang(steps, $"no boot-once: UI {ui} runs and its menu decides (not modelled)");
        }

        if (config.Prompt)
        {
            steps.Add("no boot-once: PROMPT 1 waits at the boot: prompt");
            return FallBack(config, steps, 0);
        }

        steps.Add($"no boot-once: DEFAULT {config.Default}");
        return config.Default is { } d
            ? Resolve(config, d, viaOnce: false, steps)
            : Hang(steps, "no DEFAULT");
    }

    private string? ConsumeBootOnce(BootFaults faults, ImmutableList<string>.Builder steps)
    {
        var image = BootImage();
        if (image is null)
        {
            steps.Add("no ldlinux.sys: no ADV");
            return null;
        }

        var bytes = storage.ReadAllBytes(image);
        if (bytes.Length < AdvCodec.Size)
        {
            steps.Add("ldlinux.sys shorter than an ADV: no ADV");
            return null;
        }

        var read = AdvCodec.Decode(bytes.AsSpan(bytes.Length - AdvCodec.Size));
        if (read.SourceCopy == 1)
        {
            steps.Add("ADV copy 0 invalid (torn write?): read copy 1");
        }

        if (read.Adv.BootOnce is not { } once)
        {
            return null;
        }

        if (faults.AdvWriteFails)
        {
            steps.Add($"boot-once '{once}': the ADV write-back failed (ignored), so it stays armed");
        }
        else
        {
            storage.WriteInPlace(image, bytes.Length - AdvCodec.Size, AdvCodec.Encode(read.Adv.WithBootOnce(null)));
            storage.Sync(image);
            steps.Add($"boot-once '{once}': removed from the ADV and written back before loading the kernel");
        }

        return once;
    }

    private BootChoice Resolve(SyslinuxConfig config, string commandLine, bool viaOnce, ImmutableList<string>.Builder steps, int depth = 0)
    {
        var words = commandLine.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var name = words.Length > 0 ? words[0] : string.Empty;
        var extra = words.Length > 1 ? words[1] : null;
        if (depth > 2)
        {
            return Hang(steps, "ONERROR does not lead to a bootable label");
        }

        if (config.Find(name) is not { } label)
        {
            steps.Add($"label '{name}' does not exist");
            return FallBack(config, steps, depth);
        }

        if (Missing(label.Kernel) || Missing(label.Initrd))
        {
            steps.Add($"label '{name}': kernel {label.Kernel} or initrd {label.Initrd} is missing");
            if (config.OnError is { } onError)
            {
                steps.Add($"ONERROR {onError}");
                return Resolve(config, onError, false, steps, depth + 1);
            }

            return FallBack(config, steps, depth);
        }

        var line = string.Join(' ', new[] { label.Append, extra }.Where(s => !string.IsNullOrEmpty(s)));
        steps.Add($"boots label '{name}': {label.Kernel}");
        return new BootChoice(name, label.Kernel, label.Initrd, line, viaOnce, steps.ToImmutable());
    }

    private BootChoice FallBack(SyslinuxConfig config, ImmutableList<string>.Builder steps, int depth)
    {
        if (config.TimeoutTenths <= 0)
        {
            return Hang(steps, "TIMEOUT 0: waits at the boot: prompt forever");
        }

        // On a timeout at the prompt ldlinux runs ONTIMEOUT when there is one, else the default command.
        var next = config.OnTimeout ?? config.Ui ?? config.Default;
        steps.Add($"TIMEOUT {config.TimeoutTenths} expires: {(config.OnTimeout is not null ? "ONTIMEOUT" : config.Ui is not null ? "UI" : "DEFAULT")} {next}");
        if (config.OnTimeout is null && config.Ui is not null)
        {
            return Hang(steps, $"UI {config.Ui} runs and its menu decides (not modelled)");
        }

        return next is { } d ? Resolve(config, d, false, steps, depth + 1) : Hang(steps, "no DEFAULT");
    }

    private bool Missing(string? configPath) =>
        configPath is null
        || configPath.Split(',').Any(p => !storage.FileExists(KernelPaths.OnMedium(layout.Root, p.Trim())));

    private string? BootImage() =>
        new[] { ExtlinuxAdvFile.BootImageName, ExtlinuxAdvFile.LegacyBootImageName }
            .Select(n => Path.Combine(layout.ExtlinuxDirectory, n))
            .FirstOrDefault(storage.FileExists);

    private static BootChoice Hang(ImmutableList<string>.Builder steps, string why)
    {
        steps.Add(why);
        return new BootChoice(null, null, null, null, false, steps.ToImmutable());
    }
}
