using System.Diagnostics;
using System.Text;
using Webc.BootSafe.Mount.Fuse;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Mount.Support;

/// <summary>
/// The built CLI serving a commit with `mount --foreground`, its stderr collected (libfuse's
/// `-o debug` request log, git-fs's own messages); always unmounted, and the process gone, on dispose.
/// </summary>
public sealed class ForegroundMount : IDisposable
{
    private static readonly string Cli = Path.Combine(RepoPaths.Root, "Cli", "bin", "Release", "net10.0", "webc-bootsafe.dll");

    private readonly TempDirectory _dir = new("gitfs-spec");
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    public string Root { get; }

    public ForegroundMount(string repo, string rev, params string[] options)
    {
        Root = _dir.Sub("mnt");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true };
        string[] args = [Cli, "mount", "--foreground", .. options.SelectMany(o => new[] { "-o", o }), "--repo", repo, "--rev", rev, Root];
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        _process = Process.Start(psi)!;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
        for (var i = 0; i < 200 && !Unmounter.IsMounted(Root, out _) && !_process.HasExited; i++)
        {
            Thread.Sleep(50);
        }

        if (!Unmounter.IsMounted(Root, out _))
        {
            Dispose();
            throw new InvalidOperationException($"the foreground mount did not appear: {Stderr}");
        }
    }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Everything written to stderr so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>What the daemon wrote to stderr while <paramref name="action"/> ran.</summary>
    public string StderrDuring(Action action)
    {
        var start = Stderr.Length;
        action();
        Thread.Sleep(300); // let the pipe drain: the daemon writes before it replies, the reader may be faster
        return Stderr[start..];
    }

    public void Dispose()
    {
        try
        {
            if (Unmounter.IsMounted(Root, out _))
            {
                Shell.Try("umount", ["-l", Root]);
            }

            if (!_process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                _process.Kill();
            }
        }
        finally
        {
            _process.Dispose();
            _dir.Dispose();
        }
    }
}
