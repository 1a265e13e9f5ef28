using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Provision;

/// <summary>
/// The target as a partitioned block device: an image file on a free loop device (detached on
/// dispose), or the device itself. Some kernels do not scan partitions of loop devices even with
/// -P, so a missing first partition is added with partx.
/// </summary>
public sealed class AttachedDisk : IDisposable
{
    private static readonly TimeSpan NodeWait = TimeSpan.FromSeconds(10);

    private AttachedDisk(string disk, bool loop)
    {
        Disk = disk;
        IsLoop = loop;
    }

    /// <summary>The whole disk, e.g. /dev/loop3 or /dev/sdb.</summary>
    public string Disk { get; }

    public bool IsLoop { get; }

    public string Partition { get; private set; } = "";

    public static AttachedDisk Attach(InstallTarget target)
    {
        if (target.Kind == TargetKind.BlockDevice)
        {
            var device = new AttachedDisk(target.Path, loop: false);
            // The kernel still has the old table; update drops or resizes its partitions.
            ExternalTool.TryRun("partx", ["--update", target.Path]);
            device.FindPartition();
            return device;
        }

        var loop = ExternalTool.Run("losetup", ["--find", "--show", "--partscan", target.Path]);
        var attached = new AttachedDisk(loop, loop: true);
        try
        {
            attached.FindPartition();
            return attached;
        }
        catch
        {
            attached.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (IsLoop)
        {
            // Partitions added by partx go with the loop device.
            ExternalTool.TryRun("losetup", ["--detach", Disk]);
        }
    }

    private void FindPartition()
    {
        var name = BlockDevices.KernelName(Disk) ?? throw new OperationFailedException($"{Disk} is not a block device");
        // The kernel's own scan (losetup -P, partx --update) may still be finishing.
        for (var i = 0; i < 10 && BlockDevices.Partition(name, 1) is null; i++)
        {
            Thread.Sleep(100);
        }

        if (BlockDevices.Partition(name, 1) is null)
        {
            ExternalTool.Run("partx", ["--add", "--nr", "1", Disk]);
        }

        var partition = BlockDevices.Partition(name, 1)
            ?? throw new OperationFailedException($"the kernel does not see partition 1 of {Disk} after partx --add");
        var node = "/dev/" + partition;
        var deadline = DateTime.UtcNow + NodeWait;
        while (BlockDevices.KernelName(node) != partition)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new OperationFailedException($"{node} did not appear within {NodeWait.TotalSeconds:0} s");
            }

            Thread.Sleep(100);
        }

        Partition = node;
    }
}
