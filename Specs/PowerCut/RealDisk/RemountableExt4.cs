using System.Diagnostics;
using Webc.BootSafe.Specs.Lab;

namespace Webc.BootSafe.Specs.PowerCut.RealDisk;

/// <summary>
/// An ext4 image (no inline_data: extlinux cannot install on it) on a free loop device, mounted at a
/// fresh directory, that can be unmounted, checked by <c>e2fsck -fn</c> with the page cache dropped,
/// and mounted again. Dispose unmounts and detaches whatever state a failed spec left.
/// </summary>
public sealed class RemountableExt4 : IDisposable
{
    private readonly TempDirectory _work;
    private readonly TempDirectory _mountPoint;
    private bool _mounted;
    private bool _disposed;

    private RemountableExt4(TempDirectory work, TempDirectory mountPoint, string device)
    {
        _work = work;
        _mountPoint = mountPoint;
        Device = device;
    }

    public string Device { get; }

    public string Root => _mountPoint.Path;

    public static RemountableExt4 Create(int sizeMiB)
    {
        var work = new TempDirectory("bootsafe-realdisk");
        var mountPoint = new TempDirectory("bootsafe-realdisk-mnt");
        string? device = null;
        try
        {
            var image = work.Combine("medium.img");
            using (var file = File.Create(image))
            {
                file.SetLength((long)sizeMiB << 20);
            }

            Run.Command("mkfs.ext4", "-q", "-F", "-O", "^inline_data", image);
            device = Run.Command("losetup", "-f", "--show", image).Trim();
            var disk = new RemountableExt4(work, mountPoint, device);
            disk.Mount();
            return disk;
        }
        catch
        {
            if (device is not null)
            {
                Run.Try("umount", mountPoint.Path);
                Run.Try("losetup", "-d", device);
            }

            mountPoint.Dispose();
            work.Dispose();
            throw;
        }
    }

    public void Mount()
    {
        Run.Command("mount", "-t", "ext4", Device, Root);
        _mounted = true;
    }

    /// <summary>
    /// umount (retried while a killed command's last child still holds a file open), drop the page
    /// cache, and <c>e2fsck -fn</c> the device; returns its exit code and output. Leaves it unmounted.
    /// </summary>
    public CommandResult UnmountAndCheck()
    {
        Unmount();
        File.WriteAllText("/proc/sys/vm/drop_caches", "3");
        return Run.Try("e2fsck", "-fn", Device);
    }

    private void Unmount()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var result = Run.Try("umount", Root);
            if (result.ExitCode == 0)
            {
                _mounted = false;
                return;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"umount {Root} exited {result.ExitCode}: {result.Error}");
            }

            Thread.Sleep(100);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (_mounted)
            {
                Unmount();
            }
        }
        finally
        {
            Run.Try("losetup", "-d", Device);
            _mountPoint.Dispose();
            _work.Dispose();
        }
    }
}
