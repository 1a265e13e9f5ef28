namespace Webc.BootSafe.Specs.Lab;

/// <summary>
/// An image attached to a free loop device (never a fixed number: the machine's 8 are shared) and
/// mounted at a fresh directory; dispose unmounts and detaches even after a failed spec.
/// </summary>
public sealed class LoopMount : IDisposable
{
    private readonly TempDirectory mountPoint;
    private bool mounted = true;
    private bool disposed;

    private LoopMount(string device, string partition, TempDirectory mountPoint)
    {
        Device = device;
        Partition = partition;
        this.mountPoint = mountPoint;
    }

    /// <summary>The loop device (/dev/loopN).</summary>
    public string Device { get; }

    /// <summary>The mounted block device: the loop device itself, or its first partition.</summary>
    public string Partition { get; }

    public string Root => mountPoint.Path;

    public string Combine(params string[] parts) => mountPoint.Combine(parts);

    /// <summary>Unmounts, keeping the loop device attached (for fsck, or a remount with a cold cache).</summary>
    /// <remarks>Retried for a while: a killed command's last child may still hold a file open.</remarks>
    public void Unmount()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var result = Run.Try("umount", Root);
            if (result.ExitCode == 0)
            {
                mounted = false;
                return;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"umount {Root} exited {result.ExitCode}: {result.Error}");
            }

            Thread.Sleep(100);
        }
    }

    public void Mount()
    {
        Run.Command("mount", Partition, Root);
        mounted = true;
    }

    /// <summary>A whole-file-system image (no partition table).</summary>
    public static LoopMount FileSystem(string image)
    {
        var device = Run.Command("losetup", "-f", "--show", image).Trim();
        return MountOrDetach(device, device);
    }

    /// <summary>A partitioned disk image; mounts partition 1.</summary>
    public static LoopMount Disk(string image)
    {
        var device = Run.LabScript("attach-disk.sh", image).Trim();
        return MountOrDetach(device, device + "p1");
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        try
        {
            if (mounted)
            {
                Run.Try("umount", Root);
            }
        }
        finally
        {
            Run.Try("losetup", "-d", Device);
            mountPoint.Dispose();
        }
    }

    private static LoopMount MountOrDetach(string device, string partition)
    {
        var mountPoint = new TempDirectory("bootsafe-mnt");
        try
        {
            Run.Command("mount", partition, mountPoint.Path);
            return new LoopMount(device, partition, mountPoint);
        }
        catch
        {
            Run.Try("losetup", "-d", device);
            mountPoint.Dispose();
            throw;
        }
    }
}
