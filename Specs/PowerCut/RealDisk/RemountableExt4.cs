using Webc.BootSafe.Specs.Lab;

namespace Webc.BootSafe.Specs.PowerCut.RealDisk;

/// <summary>
/// An ext4 image (no inline_data: extlinux cannot install on it) loop-mounted through
/// <see cref="LoopMount"/>, that can be unmounted, checked by <c>e2fsck -fn</c> with the page cache
/// dropped, and mounted again. Dispose unmounts and detaches whatever state a failed spec left.
/// </summary>
public sealed class RemountableExt4 : IDisposable
{
    private readonly TempDirectory _work;
    private readonly LoopMount _mount;

    private RemountableExt4(TempDirectory work, LoopMount mount)
    {
        _work = work;
        _mount = mount;
    }

    public string Device => _mount.Device;

    public string Root => _mount.Root;

    public static RemountableExt4 Create(int sizeMiB)
    {
        var work = new TempDirectory("bootsafe-realdisk");
        try
        {
            var image = work.Combine("medium.img");
            using (var file = File.Create(image))
            {
                file.SetLength((long)sizeMiB << 20);
            }

            Run.Command("mkfs.ext4", "-q", "-F", "-O", "^inline_data", image);
            return new RemountableExt4(work, LoopMount.FileSystem(image));
        }
        catch
        {
            work.Dispose();
            throw;
        }
    }

    public void Mount() => _mount.Mount();

    /// <summary>umount, drop the page cache, and <c>e2fsck -fn</c> the device; leaves it unmounted.</summary>
    public CommandResult UnmountAndCheck()
    {
        _mount.Unmount();
        File.WriteAllText("/proc/sys/vm/drop_caches", "3");
        return Run.Try("e2fsck", "-fn", Device);
    }

    public void Dispose()
    {
        try
        {
            _mount.Dispose();
        }
        finally
        {
            _work.Dispose();
        }
    }
}
