using System.Diagnostics;
using System.Runtime.InteropServices;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Mount.View;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// The life of a git-fs mount as a process: in the foreground it serves until unmounted (SIGTERM,
/// SIGINT or SIGHUP unmount cleanly, even one that arrives before the mount is up); as a daemon the
/// caller checks everything first, starts itself again in the foreground, detached, and returns once
/// that child reports the mount is up (or relays the child's error and exit code).
/// </summary>
public static class GitFsProcess
{
    private const string NotifyVariable = "WEBC_BOOTSAFE_MOUNT_NOTIFY";
    private const string Ready = "git-fs-ready";

    /// <summary>Splits libfuse's comma-separated -o values; allow_other is ours to pass on.</summary>
    public static MountOptions ParseOptions(IEnumerable<string> values)
    {
        var all = values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
        return new MountOptions(all.Contains("allow_other"), all.Where(o => o != "allow_other").ToList());
    }

    /// <summary>Serves until unmounted; returns 0.</summary>
    public static int RunForeground(string repo, string rev, string mountPoint, MountOptions options, bool withGit = false)
    {
        CheckMachine(mountPoint);
        using var view = GitFsView.Open(repo, rev, new GitFsViewOptions { WithGit = withGit });

        // Handlers go in before the mount exists: a SIGTERM in between must still end in a clean unmount.
        GitFsMount? started = null;
        var stopRequested = 0;
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            Interlocked.Exchange(ref stopRequested, 1);
            if (Volatile.Read(ref started) is { } m)
            {
                ThreadPool.QueueUserWorkItem(_ => TryUnmount(m));
            }
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
        using var mount = GitFsMount.Start(view, mountPoint, options with { FsName = Path.GetFullPath(repo) });
        Volatile.Write(ref started, mount);
        if (Volatile.Read(ref stopRequested) == 1)
        {
            TryUnmount(mount);
        }

        if (Environment.GetEnvironmentVariable(NotifyVariable) == "1")
        {
            Console.Out.WriteLine(Ready);
            Console.Out.Flush();
            Libc.Daemonize();
        }
        else
        {
            Console.Error.WriteLine($"git-fs: {view.Commit.Id} mounted at {mount.MountPoint}");
        }

        mount.Wait();
        return 0;
    }

    /// <summary>
    /// Starts this program again as the foreground daemon (with the same arguments, so --with-git
    /// and -o carry over); returns 0 once it mounted, else its exit code.
    /// </summary>
    public static int StartDaemon(string repo, string rev, string mountPoint)
    {
        // Check here first, so bad input fails in the caller's terminal with the right exit code.
        CheckMachine(mountPoint);
        using (GitFsView.Open(repo, rev))
        {
        }

        var psi = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var args = Environment.GetCommandLineArgs();
        var self = Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet" ? args : args[1..];
        foreach (var arg in self)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.ArgumentList.Add("--foreground");
        psi.Environment[NotifyVariable] = "1";
        using var child = Process.Start(psi) ?? throw new OperationFailedException("cannot start the git-fs daemon");
        var line = child.StandardOutput.ReadLineAsync();
        if (line.Wait(TimeSpan.FromSeconds(60)) && line.Result == Ready)
        {
            return 0;
        }

        if (!child.WaitForExit(TimeSpan.FromSeconds(5)))
        {
            child.Kill();
            throw new OperationFailedException($"git-fs daemon did not report a mount at '{mountPoint}' in time");
        }

        Console.Error.Write(child.StandardError.ReadToEnd());
        return child.ExitCode == 0 ? 1 : child.ExitCode;
    }

    private static void CheckMachine(string mountPoint)
    {
        if (!Directory.Exists(mountPoint))
        {
            throw new BadInputException($"MOUNTPOINT '{mountPoint}': no such directory");
        }

        if (!File.Exists(GitFsMount.DevFuse))
        {
            throw new OperationFailedException($"{GitFsMount.DevFuse} is missing: load the fuse module (modprobe fuse)");
        }
    }

    private static void TryUnmount(GitFsMount mount)
    {
        try
        {
            mount.Unmount();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"git-fs: {e.Message}");
        }
    }
}
