using Webc.BootSafe.Mount.Fuse;
using Webc.BootSafe.Specs.Mount.Support;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Mount;

/// <summary>
/// The built CLI mounts a commit of this project's own repository as a daemon, the tree can be
/// listed and read, and `umount` leaves no mount (and no daemon) behind. Errors are clear.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class MountCliSpecs
{
    private static readonly string Cli = Path.Combine(RepoPaths.Root, "Cli", "bin", "Release", "net10.0", "webc-bootsafe.dll");

    private static Shell.Result Run(params string[] args) => Shell.Try("dotnet", [Cli, .. args]);

    [HostFact("fusermount3")]
    public void Mounts_this_repository_lists_and_reads_then_umount_leaves_nothing()
    {
        using var dir = new TempDirectory("gitfs-spec");
        var mountPoint = dir.Sub("mnt");
        var head = Shell.Run("git", ["-C", RepoPaths.Root, "rev-parse", "HEAD"], null).Trim();
        try
        {
            var mounted = Run("mount", "--repo", RepoPaths.Root, "--rev", head, mountPoint);
            Assert.True(mounted.ExitCode == 0, mounted.Stderr);
            Assert.True(Unmounter.IsMounted(mountPoint, out var fsType));
            Assert.Equal("fuse.git-fs", fsType);

            Assert.Contains("Makefile", Directory.EnumerateFileSystemEntries(mountPoint).Select(Path.GetFileName));
            var expected = Shell.Run("git", ["-C", RepoPaths.Root, "show", $"{head}:Makefile"], null);
            Assert.Equal(expected, File.ReadAllText(Path.Combine(mountPoint, "Makefile")));
            Assert.Equal(head + "\n", File.ReadAllText(Path.Combine(mountPoint, ".git-fs-commit-id")));

            var unmounted = Run("umount", mountPoint);
            Assert.True(unmounted.ExitCode == 0, unmounted.Stderr);
            Assert.False(Unmounter.IsMounted(mountPoint, out _));
            var daemons = Shell.Try("pgrep", ["-f", $"mount .*{mountPoint}"]);
            Assert.True(daemons.Stdout.Trim().Length == 0 || WaitGone(mountPoint), "the daemon exits after umount");
        }
        finally
        {
            if (Unmounter.IsMounted(mountPoint, out _))
            {
                Shell.Try("umount", ["-l", mountPoint]);
            }
        }
    }

    [HostFact("fusermount3")]
    public void Sigterm_to_a_foreground_mount_unmounts_cleanly()
    {
        using var dir = new TempDirectory("gitfs-spec");
        var mountPoint = dir.Sub("mnt");
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true };
        foreach (var a in new[] { Cli, "mount", "--foreground", "--repo", RepoPaths.Root, "--rev", "HEAD", mountPoint })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = System.Diagnostics.Process.Start(psi)!;
        try
        {
            for (var i = 0; i < 200 && !Unmounter.IsMounted(mountPoint, out _); i++)
            {
                Thread.Sleep(50);
            }

            Assert.True(Unmounter.IsMounted(mountPoint, out _), "mounted in the foreground");
            Shell.Run("kill", "-TERM", process.Id.ToString());
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(20)), "exits after SIGTERM");
            Assert.Equal(0, process.ExitCode);
            Assert.False(Unmounter.IsMounted(mountPoint, out _));
        }
        finally
        {
            if (Unmounter.IsMounted(mountPoint, out _))
            {
                Shell.Try("umount", ["-l", mountPoint]);
            }

            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [HostFact("fusermount3")]
    public void Unknown_revision_and_missing_mount_point_are_bad_input()
    {
        using var dir = new TempDirectory("gitfs-spec");
        var unknown = Run("mount", "--repo", RepoPaths.Root, "--rev", "no-such-branch-xyz", dir.Path);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--rev 'no-such-branch-xyz': unknown revision", unknown.Stderr);

        var missing = Run("mount", "--repo", RepoPaths.Root, "--rev", "HEAD", Path.Combine(dir.Path, "absent"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no such directory", missing.Stderr);

        var notMounted = Run("umount", dir.Path);
        Assert.Equal(2, notMounted.ExitCode);
        Assert.Contains("nothing is mounted there", notMounted.Stderr);
    }

    private static bool WaitGone(string mountPoint)
    {
        for (var i = 0; i < 100; i++)
        {
            if (Shell.Try("pgrep", ["-f", $"mount .*{mountPoint}"]).Stdout.Trim().Length == 0)
            {
                return true;
            }

            Thread.Sleep(100);
        }

        return false;
    }
}
