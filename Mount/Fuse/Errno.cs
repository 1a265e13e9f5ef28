namespace Webc.BootSafe.Mount.Fuse;

/// <summary>Linux errno values; FUSE callbacks return them negated.</summary>
public static class Errno
{
    public const int ENOENT = 2;
    public const int EIO = 5;
    public const int EBADF = 9;
    public const int EBUSY = 16;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int EROFS = 30;
    public const int ERANGE = 34;
    public const int ENAMETOOLONG = 36;
    public const int ENOSYS = 38;
    public const int ENODATA = 61;
}
