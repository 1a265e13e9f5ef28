namespace Webc.BootSafe.Specs.BootPath;

/// <summary>
/// A real ldlinux.sys, installed once per test run by the real <c>extlinux --install</c> on a
/// loop-mounted ext4 image and copied out: its patch area and ADV are what the Bootloader's ADV
/// writer checks, and copies of it on this machine's ext4 /tmp behave like the medium's.
/// </summary>
public static class InstalledLdlinux
{
    private static readonly Lazy<byte[]> Image = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    public static byte[] Bytes => Image.Value;

    private static byte[] Install()
    {
        var work = Directory.CreateTempSubdirectory("bootpath-ldlinux-").FullName;
        var image = Path.Combine(work, "medium.img");
        var mount = Path.Combine(work, "mnt");
        Directory.CreateDirectory(mount);
        var mounted = false;
        try
        {
            Must("truncate", "-s", "16M", image);
            Must("mkfs.ext4", "-q", "-F", image);
            Must("mount", "-o", "loop", image, mount);
            mounted = true;
            Directory.CreateDirectory(Path.Combine(mount, "extlinux"));
            Must("extlinux", "--install", Path.Combine(mount, "extlinux"));
            return File.ReadAllBytes(Path.Combine(mount, "extlinux", "ldlinux.sys"));
        }
        finally
        {
            if (mounted)
            {
                ProcessResult.Run("umount", [mount]);
            }

            Directory.Delete(work, recursive: true);
        }
    }

    private static void Must(string file, params string[] arguments)
    {
        var result = ProcessResult.Run(file, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)}: {result}");
        }
    }
}
