using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Provision;

/// <summary>
/// The refusals that protect the operator's own system: a target that is mounted or holds a mounted
/// partition, is used as swap or by device-mapper/md, is attached to a loop device (an image), or is
/// the disk the running system booted from. Each is bad input (exit 2) and is checked before
/// anything is written.
/// </summary>
public static class TargetSafety
{
    /// <summary>Where the running system's own media are mounted; the disks under them are never a target.</summary>
    public static IReadOnlyList<string> SystemMountPoints { get; } = ["/", "/boot", "/usr", "/lib/live/mount/medium", "/run/live/medium"];

    public static void Check(InstallTarget target, IReadOnlyList<MountEntry> mounts)
    {
        if (target.Kind == TargetKind.ImageFile)
        {
            CheckImage(target, mounts);
        }
        else
        {
            CheckDevice(target, mounts);
        }
    }

    private static void CheckImage(InstallTarget target, IReadOnlyList<MountEntry> mounts)
    {
        if (mounts.FirstOrDefault(m => m.Source == target.Path) is { } mounted)
        {
            throw new BadInputException($"--target {target.Path} is mounted at {mounted.MountPoint}; unmount it first");
        }

        if (BlockDevices.LoopsOf(target.Path) is [var loop, ..])
        {
            throw new BadInputException(
                $"--target {target.Path} is attached to /dev/{loop}; detach it first (umount its partitions, then losetup -d /dev/{loop})");
        }
    }

    private static void CheckDevice(InstallTarget target, IReadOnlyList<MountEntry> mounts)
    {
        var disk = target.KernelName!;
        var members = new[] { disk }.Concat(BlockDevices.Partitions(disk)).ToList();
        foreach (var member in members)
        {
            var number = BlockDevices.Number(member);
            var what = member == disk ? $"--target {target.Path}" : $"--target {target.Path} holds partition /dev/{member} which";
            if (mounts.FirstOrDefault(m => m.DeviceNumber == number || BlockDevices.KernelName(m.Source) == member) is { } mounted)
            {
                throw new BadInputException($"{what} is mounted at {mounted.MountPoint}; unmount it first");
            }

            if (Swaps().Contains(member))
            {
                throw new BadInputException($"{what} is in use as swap; swapoff it first");
            }

            if (BlockDevices.Holders(member) is [var holder, ..])
            {
                throw new BadInputException($"{what} is in use by /dev/{holder} (device-mapper or md); release it first");
            }
        }

        if (SystemDisks(mounts).Contains(disk))
        {
            throw new BadInputException($"--target {target.Path} is the disk the running system booted from; refusing to overwrite it");
        }
    }

    /// <summary>The whole disks the running system's root, /boot, /usr and live medium live on.</summary>
    public static IReadOnlySet<string> SystemDisks(IReadOnlyList<MountEntry> mounts)
    {
        var disks = new HashSet<string>(StringComparer.Ordinal);
        foreach (var point in SystemMountPoints)
        {
            if (mounts.LastOrDefault(m => m.MountPoint == point) is not { } entry)
            {
                continue;
            }

            var name = BlockDevices.ByNumber(entry.DeviceNumber) ?? BlockDevices.KernelName(entry.Source);
            if (name is not null)
            {
                disks.UnionWith(BlockDevices.UnderlyingDisks(name));
            }
        }

        return disks;
    }

    private static HashSet<string> Swaps()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists("/proc/swaps"))
        {
            return names;
        }

        foreach (var line in File.ReadAllLines("/proc/swaps").Skip(1))
        {
            var source = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (source is not null && BlockDevices.KernelName(source) is { } name)
            {
                names.Add(name);
            }
        }

        return names;
    }
}
