using System.Security.Cryptography;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Bootloader.Kernels;

/// <summary>
/// The per-revision kernel and initrd in <c>live/</c>. A file is named by its commit, so a file that
/// exists is the whole file for that commit (it appears only by rename after an fsync) and is never
/// rewritten: a label may be booting it.
/// </summary>
public sealed class KernelFiles(MediumLayout layout, IMediumStorage storage)
{
    public bool Exist(Revision revision) =>
        storage.FileExists(layout.KernelFile(revision)) && storage.FileExists(layout.InitrdFile(revision));

    /// <summary>
    /// Puts the revision's kernel and initrd on the medium, each crash-safely (temp, fsync, rename,
    /// fsync the directory) and streamed, checked as <see cref="KernelContent.OpenChecked"/> checks
    /// before the rename. A file already there is left alone when its content is the same and
    /// refused otherwise, since a configuration may reference it.
    /// </summary>
    public void Install(Revision revision, KernelContent kernel, KernelContent initrd)
    {
        RequireInstallable(revision, kernel, initrd);
        var kernelNeeded = NeedsWrite(layout.KernelFile(revision), kernel);
        var initrdNeeded = NeedsWrite(layout.InitrdFile(revision), initrd);
        storage.CreateDirectory(layout.Live);
        if (kernelNeeded)
        {
            storage.ReplaceAtomically(layout.KernelFile(revision), kernel.OpenChecked);
        }

        if (initrdNeeded)
        {
            storage.ReplaceAtomically(layout.InitrdFile(revision), initrd.OpenChecked);
        }
    }

    /// <summary>As above, for content already in memory (small files: specs, the simulated demo).</summary>
    public void Install(Revision revision, ReadOnlySpan<byte> kernel, ReadOnlySpan<byte> initrd) =>
        Install(revision, KernelContent.FromBytes(kernel.ToArray(), "kernel"), KernelContent.FromBytes(initrd.ToArray(), "initrd"));

    /// <summary>
    /// Throws, writing nothing, when <see cref="Install(Revision, KernelContent, KernelContent)"/> would
    /// refuse (an empty file, a file already there with other content); returns how many bytes it would write.
    /// </summary>
    public long RequireInstallable(Revision revision, KernelContent kernel, KernelContent initrd)
    {
        if (kernel.IsEmpty || initrd.IsEmpty)
        {
            throw new BadInputException($"kernel or initrd of {revision.Short} is empty");
        }

        return (NeedsWrite(layout.KernelFile(revision), kernel) ? kernel.Length : 0)
            + (NeedsWrite(layout.InitrdFile(revision), initrd) ? initrd.Length : 0);
    }

    /// <summary>
    /// Deletes kernel files (and leftover temp files of an interrupted install) that no label of
    /// <paramref name="durableConfig"/> references. Call only after that configuration is durable:
    /// a file is removed only once no configuration on the medium can name it.
    /// </summary>
    public IReadOnlyList<string> Prune(SyslinuxConfig durableConfig)
    {
        var referenced = durableConfig.ReferencedFiles
            .Select(p => Path.GetFullPath(KernelPaths.OnMedium(layout.Root, p)))
            .ToHashSet(StringComparer.Ordinal);
        var removed = new List<string>();
        foreach (var name in storage.ListFiles(layout.Live))
        {
            var path = Path.Combine(layout.Live, name);
            if (OwnedKernelFileName.IsOwned(name) && !referenced.Contains(Path.GetFullPath(path)))
            {
                storage.Delete(path);
                removed.Add(name);
            }
        }

        if (removed.Count > 0)
        {
            storage.SyncDirectory(layout.Live);
        }

        return removed;
    }

    private bool NeedsWrite(string path, KernelContent content)
    {
        if (!storage.FileExists(path))
        {
            return true;
        }

        if (storage.Length(path) == content.Length && Sha256(path).AsSpan().SequenceEqual(content.Sha256()))
        {
            return false;
        }

        throw new OperationFailedException(
            $"{path} already exists with different content; it is never overwritten because a boot label may reference it");
    }

    private byte[] Sha256(string path)
    {
        using var stream = storage.OpenRead(path);
        return SHA256.HashData(stream);
    }
}
