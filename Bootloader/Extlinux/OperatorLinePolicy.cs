using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Bootloader.Extlinux;

/// <summary>
/// Decides, line by line and with ldlinux's parsing rules (<see cref="SyslinuxConfigParser"/>),
/// which operator lines would change what boots. The operator's lines come before BootSafe's block,
/// so: a label there with one of BootSafe's names would win (ldlinux boots the first label of a
/// name); global directives are overridden by the block's only when the block sets them too (it
/// sets DEFAULT, PROMPT, TIMEOUT and ONERROR, not UI, ONTIMEOUT or TOTALTIMEOUT). Whatever commenting
/// out makes harmless is neutralised; what it cannot (an INCLUDE whose file BootSafe does not
/// control, a TEXT block that never ends and so swallows the block, two operator labels of one
/// name) is refused.
/// </summary>
public static class OperatorLinePolicy
{
    private static readonly string[] NeutralisedDirectives = ["default", "ui", "ontimeout", "onerror", "prompt", "timeout", "totaltimeout"];

    public static IReadOnlyList<OperatorLineFinding> Review(IReadOnlyList<string> lines, IReadOnlyList<int>? lineNumbers = null)
    {
        var findings = new List<OperatorLineFinding>();
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        string? reservedLabel = null;
        var inText = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var number = lineNumbers is not null && i < lineNumbers.Count ? lineNumbers[i] : i + 1;
            var raw = lines[i];
            var p = SyslinuxConfigParser.SkipSpace(SyslinuxConfigParser.Lines(raw).FirstOrDefault() ?? string.Empty);
            void Add(OperatorLineVerdict verdict, string reason) => findings.Add(new OperatorLineFinding(number, raw, verdict, reason));

            if (inText)
            {
                inText = SyslinuxConfigParser.LookingAt(p, "endtext") is null;
                if (reservedLabel is not null && p.Length > 0)
                {
                    Add(OperatorLineVerdict.Neutralised, $"belongs to label {reservedLabel}, which is BootSafe's");
                }

                continue;
            }

            if (p.Length == 0 || p[0] == '#')
            {
                continue;
            }

            var menu = SyslinuxConfigParser.LookingAt(p, "menu") is { } m ? SyslinuxConfigParser.SkipSpace(m) : null;
            if (SyslinuxConfigParser.LookingAt(p, "include") is not null || (menu is not null && SyslinuxConfigParser.LookingAt(menu, "include") is not null))
            {
                Add(OperatorLineVerdict.Refused, "INCLUDE reads labels and directives BootSafe does not control ahead of its block; copy the lines into extlinux.conf instead");
            }
            else if (SyslinuxConfigParser.LookingAt(p, "text") is not null)
            {
                inText = true;
                if (!lines.Skip(i + 1).Any(l => SyslinuxConfigParser.LookingAt(SyslinuxConfigParser.SkipSpace(l), "endtext") is not null))
                {
                    Add(OperatorLineVerdict.Refused, "TEXT without a following ENDTEXT makes ldlinux skip the rest of the file, BootSafe's labels included");
                }
                else if (reservedLabel is not null)
                {
                    Add(OperatorLineVerdict.Neutralised, $"belongs to label {reservedLabel}, which is BootSafe's");
                }
            }
            else if (SyslinuxConfigParser.LookingAt(p, "label") is { } rest)
            {
                var name = SyslinuxConfigParser.FirstWord(rest);
                reservedLabel = null;
                if (SlotLabels.FromName(name) is not null)
                {
                    reservedLabel = name;
                    Add(OperatorLineVerdict.Neutralised, $"label {name} is BootSafe's; outside its block it would win over BootSafe's (ldlinux boots the first label of a name)");
                }
                else if (labels.TryGetValue(name, out var first))
                {
                    Add(OperatorLineVerdict.Refused, $"label {name} is already defined at line {first}; ldlinux boots only the first, so remove or rename one");
                }
                else
                {
                    labels[name] = number;
                }
            }
            else if (reservedLabel is not null)
            {
                Add(OperatorLineVerdict.Neutralised, $"belongs to label {reservedLabel}, which is BootSafe's");
            }
            else if (NeutralisedDirectives.FirstOrDefault(d => SyslinuxConfigParser.LookingAt(p, d) is not null) is { } directive)
            {
                Add(OperatorLineVerdict.Neutralised, $"{directive.ToUpperInvariant()} is global and decides what boots; BootSafe's block sets it");
            }
            else if (menu is not null && SyslinuxConfigParser.LookingAt(menu, "onerror") is not null)
            {
                Add(OperatorLineVerdict.Neutralised, "MENU ONERROR sets the global ONERROR; BootSafe's block sets it");
            }
        }

        return findings;
    }
}
