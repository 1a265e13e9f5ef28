using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Webc.BootSafe.Mount.Fuse;
using Webc.BootSafe.Mount.View;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>
/// `mount --repo DIR --rev REV MOUNTPOINT`: serves a commit read-only through git-fs. Without
/// --foreground it checks everything, starts itself again in the foreground as a detached daemon
/// and returns once that daemon reports the mount is up (or relays its error).
/// </summary>
public static class MountCommand
{
    private const string NotifyVariable = "WEBC_BOOTSAFE_MOUNT_NOTIFY";
    private const string Ready = "git-fs-ready";

    public static Command Create(GlobalOptions globals)
    {
        var repo = new Option<string>("--repo") { Description = "The git repository (bare or with a work tree)", Required = true };
        var rev = new Option<string>("--rev") { Description = "The commit to serve (hash, branch, tag or ref)", Required = true };
        var foreground = new Option<bool>("--foreground", "-f") { Description = "Stay in the foreground until unmounted (SIGTERM unmounts)" };
        var options = new Option<string[]>("-o") { Description = "Mount options, comma separated (allow_other, or any libfuse option)" };
        var mountPoint = new Argument<string>("MOUNTPOINT") { Description = "An existing directory to mount on" };
        var command = new Command("mount", "Mount a commit of a repository read-only (git-fs over FUSE)")
        {
            repo, rev, foreground, options, mountPoint,
        };
        command.SetAction(parse => CommandRunner.RunText(() =>
        {
            var opts = ParseOptions(parse.GetValue(options) ?? []);
            var target = parse.GetValue(mountPoint)!;
            return parse.GetValue(foreground)
                ? RunForeground(parse.GetValue(repo)!, parse.GetValue(rev)!, target, opts)
                : StartDaemon(parse.GetValue(repo)!, parse.GetValue(rev)!, target);
        }));
        return command;
    }

    private static MountOptions ParseOptions(string[] values)
    {
        var all = values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
        return new MountOptions(all.Contains("allow_other"), all.Where(o => o != "allow_other").ToList());
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

    private static int RunForeground(string repo, string rev, string mountPoint, MountOptions options)
    {
        CheckMachine(mountPoint);
        using var view = GitFsView.Open(repo, rev, new GitFsViewOptions());

        // Handlers go in before the mount exists: a SIGTERM in between must still end in a clean unmount.
        GitFsMount? started = null;
        var stopRequested = 0;
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            Interlocked.Exchange(ref stopRequested, 1);
            if (Volatile.Read(ref started) is { } m)
            {
                ThreadPool.QueueUserWorkItem(_ => Fuse.TryUnmount(m));
            }
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
        using var mount = GitFsMount.Start(view, mountPoint, options with { FsName = Path.GetFullPath(repo) });
        Volatile.Write(ref started, mount);
        if (Volatile.Read(ref stopRequested) == 1)
        {
            Fuse.TryUnmount(mount);
        }

        if (Environment.GetEnvironmentVariable(NotifyVariable) == "1")
        {
            Console.Out.WriteLine(Ready);
            Console.Out.Flush();
            Medium.Storage.Libc.Daemonize();
        }
        else
        {
            Console.Error.WriteLine($"git-fs: {view.Commit.Id} mounted at {mount.MountPoint}");
        }

        mount.Wait();
        return ExitCodes.Ok;
    }

    private static int StartDaemon(string repo, string rev, string mountPoint)
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
            return ExitCodes.Ok;
        }

        if (!child.WaitForExit(TimeSpan.FromSeconds(5)))
        {
            child.Kill();
            throw new OperationFailedException($"git-fs daemon did not report a mount at '{mountPoint}' in time");
        }

        Console.Error.Write(child.StandardError.ReadToEnd());
        return child.ExitCode == 0 ? ExitCodes.Failed : child.ExitCode;
    }

    private static class Fuse
    {
        public static void TryUnmount(GitFsMount mount)
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
}
