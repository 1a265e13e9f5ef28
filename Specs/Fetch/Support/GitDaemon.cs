using System.Diagnostics;
using System.Net.Sockets;

namespace Webc.BootSafe.Specs.Fetch.Support;

/// <summary>A real `git daemon` on 127.0.0.1 serving a base path; killed on dispose.</summary>
public sealed class GitDaemon : IDisposable
{
    private readonly Process _process;

    public GitDaemon(string basePath)
    {
        Port = Proc.FreePort();
        var info = new ProcessStartInfo("git") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "daemon", "--export-all", $"--base-path={basePath}", $"--port={Port}", "--listen=127.0.0.1", "--reuseaddr", "--informative-errors", basePath })
        {
            info.ArgumentList.Add(a);
        }

        _process = Process.Start(info)!;
        WaitForPort(Port, _process);
    }

    public int Port { get; }

    public string Url(string repository) => $"git://127.0.0.1:{Port}/{repository}";

    public static void WaitForPort(int port, Process process)
    {
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"server exited: {process.StandardError.ReadToEnd()}");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new TimeoutException($"nothing listens on 127.0.0.1:{port}");
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        finally
        {
            _process.Dispose();
        }
    }
}
