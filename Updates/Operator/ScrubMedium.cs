using Webc.BootSafe.Git;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Updates.Operator;

/// <summary>What `scrub` found: how many objects and files it checked, and every corrupt one.</summary>
public sealed record ScrubReport(long ObjectsChecked, int KernelFilesChecked, IReadOnlyList<CorruptObject> Corrupt);

/// <summary>
/// Use case "scrub": re-hash every object reachable from the record's revisions (known-good, trial,
/// previous) in the medium's repository, and the kernel files on the medium against their blobs, so
/// a rotting medium is found before it boots or serves a corrupt file. Writes nothing.
/// </summary>
public static class ScrubMedium
{
    public static ScrubReport Run(MediumLayout layout, string? kernelFlavour)
    {
        var store = new YamlSlotStore(new PosixMediumStorage(), layout);
        if (!store.Exists)
        {
            throw new OperationFailedException($"{layout.StateFile} does not exist: this medium was never initialized");
        }

        var record = store.Load().Record;
        if (!Directory.Exists(layout.Repository))
        {
            throw new OperationFailedException($"{layout.Repository} is not a git repository (is {layout.Root} a boot medium?)");
        }

        var revisions = new List<(Revision Revision, string Name)> { (record.KnownGood, "known-good") };
        if (record.Trial is { } trial)
        {
            revisions.Add((trial, "trial"));
        }

        if (record.Previous is { } previous)
        {
            revisions.Add((previous, "previous"));
        }

        using var reader = Open(layout.Repository);
        var roots = revisions.Select(r => (ObjectId: Id(r.Revision), r.Name)).ToList();
        var (count, corrupt) = ObjectScrub.Run(reader.Objects, roots, () => ObjectDatabase.Open(reader.Git));
        var kernels = 0;
        foreach (var (revision, name) in revisions)
        {
            kernels += CheckKernelFiles(layout, reader, revision, name, kernelFlavour, corrupt);
        }

        return new ScrubReport(count, kernels, corrupt);
    }

    private static int CheckKernelFiles(MediumLayout layout, CommitReader reader, Revision revision, string name, string? flavour, List<CorruptObject> corrupt)
    {
        if (corrupt.Count > 0 && corrupt.Any(c => c.Id == Id(revision)))
        {
            return 0;
        }

        KernelPair pair;
        try
        {
            pair = reader.KernelPair(reader.Lookup(Id(revision)), flavour);
        }
        catch (Exception e) when (e is CorruptRepositoryException or TreeRuleException or InvalidDataException or IOException)
        {
            // The objects walk reports a corrupt tree; a tree without one kernel pair has no files here to check.
            return 0;
        }

        var checkedFiles = 0;
        foreach (var (file, blob, path) in new[] { (layout.KernelFile(revision), pair.Kernel, pair.KernelPath), (layout.InitrdFile(revision), pair.Initrd, pair.InitrdPath) })
        {
            if (!File.Exists(file))
            {
                continue;
            }

            checkedFiles++;
            using var stream = File.OpenRead(file);
            var actual = ObjectScrub.BlobId(stream, stream.Length);
            if (actual != blob.ToString())
            {
                corrupt.Add(new CorruptObject(blob, $"{file} ({name} {path})", $"the file on the medium hashes to {actual}"));
            }
        }

        return checkedFiles;
    }

    private static CommitReader Open(string repository)
    {
        try
        {
            return CommitReader.Open(repository);
        }
        catch (Exception e) when (e is CorruptRepositoryException or IOException or InvalidDataException)
        {
            throw new OperationFailedException($"{repository}: {e.Message}", e);
        }
    }

    private static ObjectId Id(Revision revision) =>
        ObjectId.TryParse(revision.Sha, out var id) ? id : throw new BadInputException($"revision {revision.Sha} is not a commit id");
}
