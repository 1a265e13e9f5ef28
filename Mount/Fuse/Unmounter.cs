using Webc.BootSafe.Medium.Storage;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>Unmounts a FUSE mount point: umount2 as root, fusermount3 otherwise.</summary>
public static class Unmounter
{
    /// <summary>True if <paramref name="mountPoint"/> is a mount point now (per /proc/self/mountinfo).</summary>
    public static bool IsMounted(string mountPoint, out string fsType)
    {
        var target = Path.GetFullPath(mountPoint).TrimEnd('/');
        if (target.Length == 0)
        {
            target = "/";
        }

        fsType = "";
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var fields = line.Split(' ');
            var dash = Array.IndexOf(fields, "-");
            if (fields.Length > 4 && dash > 0 && dash + 1 < fields.Length && Unescape(fields[4]) == target)
            {
                fsType = fields[dash + 1];
            }
        }

        return fsType.Length > 0;
    }

    /// <summary>The mount's device minor number, which names its /sys/fs/fuse/connections entry; null if not mounted.</summary>
    public static string? DeviceMinor(string mountPoint)
    {
        var target = Path.GetFullPath(mountPoint).TrimEnd('/');
        string? minor = null;
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var fields = line.Split(' ');
            if (fields.Length > 4 && Unescape(fields[4]) == target)
            {
                minor = fields[2].Split(':')[^1];
            }
        }

        return minor;
    }

    /// <summary>Aborts a FUSE connection so its loop returns even if the kernel still holds the mount.</summary>
    public static bool Abort(string? minor)
    {
        var abort = $"/sys/fs/fuse/connections/{minor}/abort";
        if (minor is null || !File.Exists(abort))
        {
            return false;
        }

        try
        {
            File.WriteAllText(abort, "1");
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// `umount MOUNTPOINT`: refuses (bad input) a directory that is not a FUSE mount, unmounts, and
    /// waits up to 5 s for the mount to disappear (its daemon then exits on its own).
    /// </summary>
    public static void UnmountGitFs(string target, bool lazyIfBusy)
    {
        if (!Directory.Exists(target))
        {
            throw new BadInputException($"MOUNTPOINT '{target}': no such directory");
        }

        if (!IsMounted(target, out var fsType))
        {
            throw new BadInputException($"MOUNTPOINT '{target}': nothing is mounted there");
        }

        if (!fsType.StartsWith("fuse", StringComparison.Ordinal))
        {
            throw new BadInputException($"MOUNTPOINT '{target}': is a {fsType} mount, not git-fs");
        }

        Unmount(target, lazyIfBusy);
        for (var i = 0; i < 50 && IsMounted(target, out _); i++)
        {
            Thread.Sleep(100);
        }

        if (IsMounted(target, out _))
        {
            throw new OperationFailedException($"MOUNTPOINT '{target}': still mounted after umount");
        }
    }

    public static void Unmount(string mountPoint, bool lazyIfBusy)
    {
        if (Libc.GetEuid() != 0)
        {
            RunFusermount(mountPoint, lazyIfBusy);
            return;
        }

        if (Libc.Umount2(mountPoint, 0) == 0)
        {
            return;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno == Errno.EBUSY && lazyIfBusy && Libc.Umount2(mountPoint, Libc.MntDetach) == 0)
        {
            return;
        }

        if (errno == Errno.EBUSY)
        {
            throw new OperationFailedException($"{mountPoint}: busy (a process uses it); close it or unmount lazily");
        }

        throw new OperationFailedException($"{mountPoint}: umount failed: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    private static void RunFusermount(string mountPoint, bool lazy)
    {
        var psi = new ProcessStartInfo("fusermount3") { RedirectStandardError = true };
        psi.ArgumentList.Add(lazy ? "-uz" : "-u");
        psi.ArgumentList.Add(mountPoint);
        using var p = Process.Start(psi) ?? throw new OperationFailedException("cannot start fusermount3");
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new OperationFailedException($"{mountPoint}: fusermount3 failed: {err.Trim()}");
        }
    }

    private static string Unescape(string field) =>
        field.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}
