using System.Globalization;

namespace Webc.BootSafe.Provision;

/// <summary>
/// What the kernel says about block devices, read from /sys/class/block: a device is named by its
/// kernel name (sdb, loop3, nvme0n1p1) and its number ("8:16"), and a partition knows its disk.
/// </summary>
public static class BlockDevices
{
    private const string ClassBlock = "/sys/class/block";

    /// <summary>The kernel name of a /dev path (symlinks such as /dev/disk/by-id resolved), or null if it is not a block device.</summary>
    public static string? KernelName(string devicePath)
    {
        var full = RealPath(devicePath);
        if (!full.StartsWith("/dev/", StringComparison.Ordinal))
        {
            return null;
        }

        var name = Path.GetFileName(full);
        return Directory.Exists(Path.Combine(ClassBlock, name)) ? name : null;
    }

    /// <summary>"major:minor" of a device.</summary>
    public static string Number(string name) => Read(Path.Combine(ClassBlock, name, "dev")) ?? "";

    /// <summary>The kernel name of the device numbered <paramref name="number"/>, or null (e.g. overlay or tmpfs numbers).</summary>
    public static string? ByNumber(string number)
    {
        var link = Path.Combine("/sys/dev/block", number);
        return Directory.Exists(link) ? Path.GetFileName(RealPath(link)) : null;
    }

    public static bool IsPartition(string name) => File.Exists(Path.Combine(ClassBlock, name, "partition"));

    /// <summary>The whole disk a partition belongs to; a disk is its own.</summary>
    public static string Disk(string name) =>
        IsPartition(name) ? Path.GetFileName(Path.GetDirectoryName(RealPath(Path.Combine(ClassBlock, name)))!) : name;

    /// <summary>Partitions the kernel currently knows on <paramref name="disk"/>.</summary>
    public static IReadOnlyList<string> Partitions(string disk)
    {
        var dir = RealPath(Path.Combine(ClassBlock, disk));
        return Directory.Exists(dir)
            ? [.. Directory.EnumerateDirectories(dir).Where(d => File.Exists(Path.Combine(d, "partition"))).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>The partition numbered <paramref name="number"/> on <paramref name="disk"/>, if the kernel knows it.</summary>
    public static string? Partition(string disk, int number) =>
        Partitions(disk).FirstOrDefault(p => Read(Path.Combine(ClassBlock, p, "partition")) == number.ToString(CultureInfo.InvariantCulture));

    /// <summary>Devices stacked on this one (device-mapper, md): something is using it even if nothing is mounted.</summary>
    public static IReadOnlyList<string> Holders(string name)
    {
        var dir = Path.Combine(ClassBlock, name, "holders");
        return Directory.Exists(dir) ? [.. Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).OfType<string>()] : [];
    }

    /// <summary>The whole disks under a device: its own disk, and through device-mapper or md the disks of what it is built on.</summary>
    public static IReadOnlySet<string> UnderlyingDisks(string name)
    {
        var disks = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([name]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }

            var slaves = Path.Combine(ClassBlock, current, "slaves");
            var below = Directory.Exists(slaves) ? Directory.EnumerateFileSystemEntries(slaves).Select(Path.GetFileName).OfType<string>().ToList() : [];
            if (below.Count == 0)
            {
                disks.Add(Disk(current));
            }

            foreach (var b in below)
            {
                pending.Push(b);
            }
        }

        return disks;
    }

    public static long SizeBytes(string name) =>
        long.TryParse(Read(Path.Combine(ClassBlock, name, "size")), NumberStyles.None, CultureInfo.InvariantCulture, out var sectors) ? sectors * 512 : 0;

    /// <summary>The file a loop device is attached to, or null.</summary>
    public static string? LoopBackingFile(string name) => Read(Path.Combine(ClassBlock, name, "loop", "backing_file"));

    /// <summary>Every loop device attached to <paramref name="file"/>.</summary>
    public static IReadOnlyList<string> LoopsOf(string file)
    {
        var full = RealPath(file);
        return Directory.Exists(ClassBlock)
            ? [.. Directory.EnumerateFileSystemEntries(ClassBlock, "loop*").Select(Path.GetFileName).OfType<string>()
                .Where(n => LoopBackingFile(n) is { } b && (b == full || b == full + " (deleted)"))]
            : [];
    }

    public static string RealPath(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        }
        catch (IOException)
        {
            return Path.GetFullPath(path);
        }
    }

    private static string? Read(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
