using Webc.BootSafe.Specs.BootPath;

namespace Webc.BootSafe.Specs.Packaging;

/// <summary>
/// A root file system tarball unpacked into a fresh directory, with /proc, /dev and /sys bound in so
/// maintainer scripts (update-initramfs) run as on a real system. Dispose unmounts them and removes
/// the directory only once nothing is mounted below it (never recursing into the host's /dev).
/// </summary>
public sealed class UnpackedRoot : IDisposable
{
    private static readonly string[] Binds = ["proc", "dev", "sys"];
    private readonly List<string> mounted = [];

    /// <param name="directory">Where to unpack (a new, empty directory is made there); default a fresh temp directory.</param>
    public UnpackedRoot(string tarball, string? directory = null)
    {
        if (directory is null)
        {
            Path = Directory.CreateTempSubdirectory("bootsafe-root-").FullName;
        }
        else
        {
            Path = Directory.CreateDirectory(directory).FullName;
        }

        try
        {
            Must(ProcessResult.Run("tar", ["-C", Path, "-xf", tarball], timeout: TimeSpan.FromMinutes(10)), "tar");
            Bind();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Path { get; }

    /// <summary>Runs a command inside the root.</summary>
    public ProcessResult Chroot(IEnumerable<string> command, TimeSpan? timeout = null) =>
        ProcessResult.Run(
            "chroot",
            [Path, "/usr/bin/env", "DEBIAN_FRONTEND=noninteractive", "LC_ALL=C.UTF-8", .. command],
            timeout: timeout ?? TimeSpan.FromMinutes(5));

    public string Combine(string relative) => System.IO.Path.Combine(Path, relative.TrimStart('/'));

    /// <summary>Binds the host's /proc, /dev and /sys into the root (again, after <see cref="Unbind"/>).</summary>
    public void Bind()
    {
        foreach (var bind in Binds)
        {
            var target = System.IO.Path.Combine(Path, bind);
            if (mounted.Contains(target))
            {
                continue;
            }

            Directory.CreateDirectory(target);
            Must(ProcessResult.Run("mount", ["--bind", "/" + bind, target]), "mount /" + bind);
            mounted.Add(target);
        }
    }

    /// <summary>Unmounts /proc, /dev and /sys (before systemd-nspawn boots the root with its own).</summary>
    public void Unbind()
    {
        foreach (var target in Enumerable.Reverse(mounted))
        {
            if (ProcessResult.Run("umount", [target]).ExitCode != 0)
            {
                ProcessResult.Run("umount", ["--lazy", target]);
            }
        }

        mounted.Clear();
    }

    public void Dispose()
    {
        Unbind();
        var prefix = Path + "/";
        var stillMounted = File.ReadLines("/proc/self/mounts")
            .Select(l => l.Split(' ')[1])
            .Any(m => m == Path || m.StartsWith(prefix, StringComparison.Ordinal));
        if (!stillMounted)
        {
            // --one-file-system: even a mount that appeared since is not descended into.
            ProcessResult.Run("rm", ["-rf", "--one-file-system", Path], timeout: TimeSpan.FromMinutes(5));
        }
    }

    private static void Must(ProcessResult result, string what)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what}: {result}");
        }
    }
}
