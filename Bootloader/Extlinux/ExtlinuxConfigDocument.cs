using System.Collections.Immutable;
using System.Text;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Bootloader.Extlinux;

/// <summary>
/// extlinux.conf as BootSafe edits it: the operator's own lines, which survive every rewrite, then
/// one managed block (global directives and the good, trial and previous labels) at the end. At the
/// end, because a syslinux label runs until the next LABEL: operator lines after our block would
/// attach to our last label; and because DEFAULT, TIMEOUT, ONERROR and PROMPT are global and the
/// last one wins. An operator directive that would still change what boots (DEFAULT, TIMEOUT,
/// ONERROR, PROMPT, ONTIMEOUT, UI, TOTALTIMEOUT) is kept but commented out, so the file reads as
/// what it does.
/// </summary>
public sealed record ExtlinuxConfigDocument(ImmutableArray<string> OperatorLines, string? ManagedBlock)
{
    public const string BeginMarker = "# >>> webc-bootsafe: this block is rewritten on every update; edit outside it";
    public const string EndMarker = "# <<< webc-bootsafe";
    public const string DisabledPrefix = "# disabled by webc-bootsafe: ";

    private static readonly string[] OverridingDirectives = ["DEFAULT", "TIMEOUT", "ONERROR", "PROMPT", "ONTIMEOUT", "UI", "TOTALTIMEOUT"];

    public static ExtlinuxConfigDocument Empty { get; } = new([], null);

    public static ExtlinuxConfigDocument Parse(string text)
    {
        var operatorLines = ImmutableArray.CreateBuilder<string>();
        StringBuilder? block = null;
        var inBlock = false;
        var body = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
        foreach (var line in body.Length == 0 ? [] : body.Split('\n'))
        {
            if (!inBlock && line.TrimEnd() == BeginMarker)
            {
                inBlock = true;
                block = new StringBuilder();
            }
            else if (inBlock && line.TrimEnd() == EndMarker)
            {
                inBlock = false;
            }
            else if (inBlock)
            {
                block!.Append(line).Append('\n');
            }
            else
            {
                operatorLines.Add(line);
            }
        }

        return new ExtlinuxConfigDocument(operatorLines.ToImmutable(), block?.ToString());
    }

    /// <summary>The entries the managed block names, or null when there is no (readable) block.</summary>
    public BootEntries? Entries
    {
        get
        {
            if (ManagedBlock is null)
            {
                return null;
            }

            var config = SyslinuxConfigParser.Parse(ManagedBlock);
            Revision? Of(SlotLabel label) =>
                Revision.TryParse(config.Find(label.Name())?.Parameter(BootArguments.RevisionKey), out var r) ? r : null;
            return Of(SlotLabel.Good) is { } good ? new BootEntries(good, Of(SlotLabel.Trial), Of(SlotLabel.Previous)) : null;
        }
    }

    public ExtlinuxConfigDocument With(BootEntries entries, BootEntryOptions options) =>
        new(OperatorLines, RenderBlock(entries, options));

    public string Render()
    {
        var text = new StringBuilder();
        foreach (var line in OperatorLines)
        {
            text.Append(Neutralize(line)).Append('\n');
        }

        if (ManagedBlock is not null)
        {
            text.Append(BeginMarker).Append('\n').Append(ManagedBlock).Append(EndMarker).Append('\n');
        }

        return text.ToString();
    }

    public static string RenderBlock(BootEntries entries, BootEntryOptions options)
    {
        var good = SlotLabel.Good.Name();
        var text = new StringBuilder();
        if (options.Serial is { } serial)
        {
            text.Append("SERIAL ").Append(serial).Append('\n');
        }

        text.Append("DEFAULT ").Append(good).Append('\n')
            .Append("PROMPT 0\n")
            .Append("TIMEOUT ").Append(options.TimeoutTenths).Append('\n')
            .Append("ONERROR ").Append(good).Append('\n');
        foreach (var (label, revision) in entries.Labels)
        {
            var append = $"{options.BaseAppend} {BootArguments.Format(revision, label)}".TrimStart();
            text.Append("LABEL ").Append(label.Name()).Append('\n')
                .Append("  LINUX ").Append(KernelPaths.Kernel(revision)).Append('\n')
                .Append("  INITRD ").Append(KernelPaths.Initrd(revision)).Append('\n')
                .Append("  APPEND ").Append(append).Append('\n');
        }

        return text.ToString();
    }

    private static string Neutralize(string line)
    {
        var trimmed = line.TrimStart();
        var space = trimmed.IndexOfAny([' ', '\t']);
        var keyword = (space < 0 ? trimmed : trimmed[..space]).ToUpperInvariant();
        return OverridingDirectives.Contains(keyword) ? DisabledPrefix + line : line;
    }
}
