using Webc.BootSafe.Fetch.Git;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Git;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Updates.Staging;

/// <summary>One path that differs between known-good and the candidate; a size is null where the path is absent.</summary>
public sealed record PlannedChange(string Path, long? OldSize, long? NewSize)
{
    public string Kind => OldSize is null ? "added" : NewSize is null ? "removed" : "changed";
}

/// <summary>The size of an upgrade, before anything is staged (`fetch --plan`).</summary>
public sealed record UpgradePlan(
    string Summary,
    Revision? Candidate,
    Revision KnownGood,
    long ReceivedObjects,
    long ReceivedBytes,
    IReadOnlyList<PlannedChange> Changes,
    bool KernelChanges)
{
    public long BytesAdded => Changes.Where(c => c.Kind == "added").Sum(c => c.NewSize ?? 0);

    public long BytesRemoved => Changes.Where(c => c.Kind == "removed").Sum(c => c.OldSize ?? 0);

    /// <summary>The plan as text, one line each: summary, transfer, totals, kernel, then every file.</summary>
    public IEnumerable<string> Lines()
    {
        yield return Summary;
        yield return $"received {ReceivedObjects} objects, {ReceivedBytes} bytes";
        if (Candidate is null)
        {
            yield break;
        }

        int Count(string kind) => Changes.Count(c => c.Kind == kind);
        yield return $"files: {Count("added")} added ({BytesAdded} bytes), {Count("changed")} changed, {Count("removed")} removed ({BytesRemoved} bytes)";
        yield return KernelChanges ? "kernel: changes (kernel or initrd differs from known-good)" : "kernel: unchanged";
        foreach (var c in Changes)
        {
            yield return $"{c.Kind,-8} {c.Path} {c.OldSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} -> {c.NewSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}";
        }
    }
}

/// <summary>
/// `fetch --plan`: fetch and verify as `fetch` does (the transfer lands in the quarantine and only a
/// verified candidate reaches the repository), never stage, then compare the candidate's tree with
/// known-good's: files added, changed and removed with their sizes, and whether the kernel or initrd
/// changes (which a trial boot of the new kernel, and its budget, then depends on).
/// </summary>
public static class UpgradePlanner
{
    /// <summary>The plan against the slot record on the medium now.</summary>
    public static UpgradePlan Plan(FetchAndStage fetch, MediumLayout layout, BootParameters parameters, IProgress<TransferSnapshot>? progress) =>
        Plan(fetch, layout, parameters, new YamlSlotStore(new PosixMediumStorage(), layout).Load().Record, progress);

    public static UpgradePlan Plan(FetchAndStage fetch, MediumLayout layout, BootParameters parameters, SlotRecord record, IProgress<TransferSnapshot>? progress)
    {
        var result = fetch.Run(parameters, stage: false, progress);
        var transfer = result.Fetch?.Transfer;
        var (objects, bytes) = (transfer?.ReceivedObjects ?? 0, transfer?.ReceivedBytes ?? 0);
        if (result.Fetch?.Verdict is not Verified verified)
        {
            return new UpgradePlan(result.Summary.Replace("; not staged (use --stage)", "", StringComparison.Ordinal), null, record.KnownGood, objects, bytes, [], false);
        }

        using var reader = CommitReader.Open(layout.Repository);
        var candidate = reader.Lookup(Id(verified.Revision));
        var good = reader.Lookup(Id(record.KnownGood));
        var changes = new List<PlannedChange>();
        Diff(reader, good.Tree, candidate.Tree, "", changes);
        var oldKernel = reader.KernelPair(good, parameters.KernelFlavour);
        var kernelChanges = oldKernel.Kernel != verified.Kernel.Kernel || oldKernel.Initrd != verified.Kernel.Initrd;
        return new UpgradePlan(result.Summary.Replace("; not staged (use --stage)", "; plan only, nothing staged", StringComparison.Ordinal), verified.Revision, record.KnownGood, objects, bytes, changes, kernelChanges);
    }

    // Both trees sorted by name; equal ids are skipped whole (a subtree that did not change costs one compare).
    private static void Diff(CommitReader reader, ObjectId? before, ObjectId? after, string prefix, List<PlannedChange> changes)
    {
        var old = before is { } b ? reader.ListTree(b).ToDictionary(e => e.Name, StringComparer.Ordinal) : [];
        var now = after is { } a ? reader.ListTree(a).ToDictionary(e => e.Name, StringComparer.Ordinal) : [];
        foreach (var name in old.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
        {
            var path = prefix + name;
            var o = old.TryGetValue(name, out var oe) ? oe : (TreeEntry?)null;
            var n = now.TryGetValue(name, out var ne) ? ne : (TreeEntry?)null;
            if (o is { } x && n is { } y && x.Id == y.Id && x.Mode == y.Mode)
            {
                continue;
            }

            var oldDir = o is { IsDirectory: true };
            var newDir = n is { IsDirectory: true };
            if (oldDir || newDir)
            {
                Diff(reader, oldDir ? o!.Value.Id : null, newDir ? n!.Value.Id : null, path + "/", changes);
            }

            var oldFile = o is { } of && !of.IsDirectory && !of.IsGitlink ? reader.SizeOf(of.Id) : (long?)null;
            var newFile = n is { } nf && !nf.IsDirectory && !nf.IsGitlink ? reader.SizeOf(nf.Id) : (long?)null;
            if (oldFile is not null || newFile is not null)
            {
                changes.Add(new PlannedChange(path, oldFile, newFile));
            }
        }
    }

    private static ObjectId Id(Revision revision) =>
        ObjectId.TryParse(revision.Sha, out var id) ? id : throw new InvalidOperationException($"{revision} is not an object id");
}
