namespace Webc.BootSafe.Specs.Fetch.Support;

/// <summary>Runs the real tools (git, ssh-keygen, gpg) the specs use as peers, through <see cref="Processes"/>, with a fixed git identity.</summary>
public static class Proc
{
    public static string Run(string file, IEnumerable<string> args, string? cwd = null, IDictionary<string, string>? env = null, string? stdin = null)
    {
        var arguments = args.ToArray();
        var result = Processes.Try(file, arguments, cwd, GitIdentity.Concat(env ?? new Dictionary<string, string>()), stdin, Timeout.InfiniteTimeSpan);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Stderr}");
        }

        return result.Stdout.Trim();
    }

    // No system config, and a fixed identity, so commits are the same on every machine.
    private static readonly KeyValuePair<string, string>[] GitIdentity =
    [
        new("GIT_CONFIG_NOSYSTEM", "1"),
        new("GIT_AUTHOR_NAME", "Spec"),
        new("GIT_AUTHOR_EMAIL", "spec@example.org"),
        new("GIT_COMMITTER_NAME", "Spec"),
        new("GIT_COMMITTER_EMAIL", "spec@example.org"),
    ];

    public static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
