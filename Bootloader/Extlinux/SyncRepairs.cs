using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Bootloader.Extlinux;

/// <summary>What `bootloader sync` changed in extlinux.conf beyond rewriting the block as it was, one line each, for the operator.</summary>
public static class SyncRepairs
{
    public static IReadOnlyList<string> Describe(ExtlinuxConfigDocument before, BootEntries written, string textAfter)
    {
        var repairs = new List<string>();
        foreach (var line in before.StrayMarkers)
        {
            repairs.Add($"line {line}: removed a BootSafe marker line outside its block");
        }

        if (before.ManagedBlock is null)
        {
            repairs.Add("the managed block was missing: rebuilt from the slot record");
        }
        else if (before.Entries is not { } entries)
        {
            repairs.Add("the managed block had no readable good label: rebuilt from the slot record");
        }
        else if (ExtlinuxConfigDocument.Parse(textAfter).ManagedBlock != before.ManagedBlock)
        {
            repairs.Add(entries == written
                ? "the managed block was edited: rebuilt from the slot record"
                : $"the managed block named {Names(entries)}: rebuilt as {Names(written)} from the slot record");
        }

        foreach (var finding in before.Findings.Where(f => f.Verdict == OperatorLineVerdict.Neutralised))
        {
            repairs.Add($"{finding}: commented out");
        }

        return repairs;
    }

    private static string Names(BootEntries entries) =>
        string.Join(", ", entries.Labels.Select(l => $"{l.Label.Name()}={l.Revision.Short}"));
}
