namespace Webc.BootSafe.Bootloader.Adv;

/// <summary>Which file system holds a path: statfs(2)'s f_type magic (linux/magic.h).</summary>
public interface IFileSystemProbe
{
    long FileSystemType(string path);
}
