using System.Text;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Provision;

/// <summary>
/// Everything the installer will do, decided before it does any of it: the disk and partition
/// sizes, the revision, and the files it writes. <c>--dry-run</c> prints this and stops.
/// </summary>
public sealed record InstallPlan(
    InstallTarget Target,
    long DiskBytes,
    long RepositoryBytes,
    VerifiedRevision Verified,
    string Remote,
    string? Branch,
    MediumConfig Config,
    BootEntryOptions Entries)
{
    /// <summary>Sector 2048: the first partition starts at 1 MiB, as sfdisk aligns it.</summary>
    public const long PartitionStart = ByteSize.MiB;

    /// <summary>Room for ldlinux.sys, ldlinux.c32, extlinux.conf and the state files.</summary>
    public const long BootFilesBytes = ByteSize.MiB;

    public long PartitionBytes => DiskBytes - PartitionStart;

    public long ContentBytes => RepositoryBytes + Verified.KernelBytes + Verified.InitrdBytes + BootFilesBytes;

    /// <summary>Slack beyond the content: 5 % or 8 MiB, whichever is more (git's own files, rounding).</summary>
    public long MarginBytes => Math.Max(ContentBytes / 20, 8 * ByteSize.MiB);

    public long NeededPartitionBytes(long partitionBytes) => ContentBytes + MarginBytes + FileSystemOverhead.Bytes(partitionBytes);

    /// <summary>The smallest disk (whole MiB) this content fits.</summary>
    public long MinimumDiskBytes
    {
        get
        {
            var disk = ByteSize.RoundUpToMiB(PartitionStart + ContentBytes + MarginBytes);
            while (NeededPartitionBytes(disk - PartitionStart) > disk - PartitionStart)
            {
                disk += ByteSize.MiB;
            }

            return disk;
        }
    }

    /// <summary>Space left for later revisions once installed.</summary>
    public long FreeAfterBytes => PartitionBytes - FileSystemOverhead.Bytes(PartitionBytes) - ContentBytes;

    /// <summary>Refuses (bad input, nothing created) when the content does not fit.</summary>
    public void RequireFits(string sizeInput)
    {
        if (NeededPartitionBytes(PartitionBytes) > PartitionBytes)
        {
            var what = Target.Kind == TargetKind.BlockDevice ? $"--target {Target.Path} ({ByteSize.Format(DiskBytes)})" : $"{sizeInput} ({ByteSize.Format(DiskBytes)})";
            throw new BadInputException(
                $"{what} is too small: the repository ({ByteSize.Format(RepositoryBytes)}), kernel and initrd " +
                $"({ByteSize.Format(Verified.KernelBytes + Verified.InitrdBytes)}) and file system need at least {ByteSize.Format(MinimumDiskBytes)} " +
                $"({MinimumDiskBytes / ByteSize.MiB}M)");
        }
    }

    /// <summary>What will be written, relative to the medium's root.</summary>
    public IEnumerable<string> Files
    {
        get
        {
            var layout = new MediumLayout("/");
            yield return "boot/extlinux/ldlinux.sys, ldlinux.c32 (extlinux --install)";
            yield return Rel(layout.ExtlinuxConfig) + " (label good = " + Verified.Revision.Short + ")";
            yield return Rel(layout.Repository) + $" (bare clone of {Remote}, {ByteSize.Format(RepositoryBytes)})";
            yield return Rel(layout.KernelFile(Verified.Revision)) + $" (from {Verified.Kernel.KernelPath}, {ByteSize.Format(Verified.KernelBytes)})";
            yield return Rel(layout.InitrdFile(Verified.Revision)) + $" (from {Verified.Kernel.InitrdPath}, {ByteSize.Format(Verified.InitrdBytes)})";
            yield return Rel(layout.ConfigFile) + $" (from {Config.Origin})";
            foreach (var key in Config.KeyFiles.Keys)
            {
                yield return Rel(Path.Combine(layout.BootSafe, key));
            }

            yield return Rel(layout.StateFile) + $" (Stable, known-good {Verified.Revision.Short})";
            yield return Rel(layout.HistoryFile);
        }
    }

    public string Render()
    {
        var text = new StringBuilder();
        text.Append($"target:     {Target.Describe()}\n");
        text.Append($"disk:       {ByteSize.Format(DiskBytes)}, MBR (syslinux mbr.bin), partition 1 bootable, type 83, from sector 2048, {ByteSize.Format(PartitionBytes)}\n");
        text.Append($"filesystem: ext4 without inline_data, label {MediumLayout.FileSystemLabel}, extlinux in /boot/extlinux\n");
        text.Append($"revision:   {Verified.Revision}{(Branch is null ? "" : $" ({Branch})")}, {Verified.Signer}, {Verified.ObjectsChecked} objects checked\n");
        text.Append($"space:      needs {ByteSize.Format(NeededPartitionBytes(PartitionBytes))} of the partition, about {ByteSize.Format(FreeAfterBytes)} free after\n");
        text.Append("writes:\n");
        foreach (var file in Files)
        {
            text.Append("  ").Append(file).Append('\n');
        }

        return text.ToString();
    }

    private static string Rel(string path) => path.TrimStart('/');
}
