using System.Collections.Immutable;
using System.Text;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Bootloader.Extlinux;

/// <summary>
/// extlinux.conf as BootSafe edits it: the operator's own lines, which survive every rewrite, then
/// one managed block (global directives and the good, trial and previous labels) at the end. At the
/// end, because a syslinux label runs until the next LABEL: operator lines after our block would
/// attach to our last label; and because DEFAULT, TIMEOUT, ONERROR and PROMPT are global and the
/// last one wins. Operator lines that would still change what boots are kept but commented out, so
/// the file reads as what it does; those that cannot be made harmless are refused
/// (<see cref="OperatorLinePolicy"/>).
/// </summary>
/// <remarks>
/// The managed block is the first begin marker with an end marker after it. Any other marker line
/// (the block's other half deleted, a pasted second block) is stray: it is dropped on the next
/// write, and the lines around it are operator lines, so a block whose markers were deleted is
/// neutralised line by line and rebuilt, never half-trusted.
/// </remarks>
public sealed record ExtlinuxConfigDocument(ImmutableArray<string> OperatorLines, string? ManagedBlock)
{
    public const string BeginMarker = "# >>> webc-bootsafe: this block is rewritten on every update; edit outside it";
    public const string EndMarker = "# <<< webc-bootsafe";
    public const string DisabledPrefix = "# disabled by webc-bootsafe: ";

    public static ExtlinuxConfigDocument Empty { get; } = new([], null);

    /// <summary>1-based line numbers of <see cref="OperatorLines"/> in the text parsed (empty for a built document).</summary>
    public ImmutableArray<int> OperatorLineNumbers { get; init; } = [];

    /// <summary>1-based line numbers of marker lines outside the managed block, dropped on the next write.</summary>
    public ImmutableArray<int> StrayMarkers { get; init; } = [];

    public static ExtlinuxConfigDocument Parse(string text)
    {
        var body = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
        var lines = body.Length == 0 ? [] : body.Split('\n');
        bool Is(int i, string marker) => lines[i].TrimEnd() == marker;
        var begin = Enumerable.Range(0, lines.Length).Where(i => Is(i, BeginMarker)).Cast<int?>().FirstOrDefault();
        int? end = begin is { } b ? Enumerable.Range(b + 1, lines.Length - b - 1).Where(i => Is(i, EndMarker)).Cast<int?>().FirstOrDefault() : null;
        if (end is null)
        {
            begin = null;
        }

        var operatorLines = ImmutableArray.CreateBuilder<string>();
        var numbers = ImmutableArray.CreateBuilder<int>();
        var stray = ImmutableArray.CreateBuilder<int>();
        StringBuilder? block = null;
        for (var i = 0; i < lines.Length; i++)
        {
            if (begin is { } first && i >= first && i <= end)
            {
                if (i != first && i != end)
                {
                    (block ??= new StringBuilder()).Append(lines[i]).Append('\n');
                }

                block ??= new StringBuilder();
            }
            else if (Is(i, BeginMarker) || Is(i, EndMarker))
            {
                stray.Add(i + 1);
            }
            else
            {
                operatorLines.Add(lines[i]);
                numbers.Add(i + 1);
            }
        }

        return new ExtlinuxConfigDocument(operatorLines.ToImmutable(), block?.ToString())
        {
            OperatorLineNumbers = numbers.ToImmutable(),
            StrayMarkers = stray.ToImmutable(),
        };
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

    /// <summary>Operator lines that are not kept as they are.</summary>
    public IReadOnlyList<OperatorLineFinding> Findings => OperatorLinePolicy.Review(OperatorLines, OperatorLineNumbers);

    public IReadOnlyList<OperatorLineFinding> Refusals => Findings.Where(f => f.Verdict == OperatorLineVerdict.Refused).ToList();

    /// <summary>
    /// Throws <see cref="BadInputException"/> (exit 2) naming the first refused line of
    /// <paramref name="path"/>; call before the first write of a command that refuses.
    /// </summary>
    public void RequireAcceptable(string path)
    {
        if (Refusals is [var first, ..] refusals)
        {
            var more = refusals.Count > 1 ? $" (and {refusals.Count - 1} more refused line(s))" : string.Empty;
            throw new BadInputException($"{path} {first}{more}; nothing was written");
        }
    }

    public ExtlinuxConfigDocument With(BootEntries entries, BootEntryOptions options) =>
        this with { ManagedBlock = RenderBlock(entries, options) };

    public string Render()
    {
        var neutralised = Findings.Where(f => f.Verdict == OperatorLineVerdict.Neutralised).Select(f => f.LineNumber).ToHashSet();
        var text = new StringBuilder();
        for (var i = 0; i < OperatorLines.Length; i++)
        {
            var number = i < OperatorLineNumbers.Length ? OperatorLineNumbers[i] : i + 1;
            text.Append(neutralised.Contains(number) ? DisabledPrefix + OperatorLines[i] : OperatorLines[i]).Append('\n');
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
}
