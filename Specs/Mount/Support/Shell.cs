namespace Webc.BootSafe.Specs.Mount.Support;

/// <summary>Runs real tools (git, tar, find, gcc) for the specs through <see cref="Processes"/>; a non-zero exit fails the spec with stderr.</summary>
public static class Shell
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Try(string file, IEnumerable<string> args, string? cwd = null, IDictionary<string, string>? env = null)
    {
        var result = Processes.Try(file, args, cwd, env, timeout: Timeout.InfiniteTimeSpan);
        return new Result(result.ExitCode, result.Stdout, result.Stderr);
    }

    public static string Run(string file, params string[] args) => Run(file, args, null);

    public static string Run(string file, IEnumerable<string> args, string? cwd, IDictionary<string, string>? env = null)
    {
        var r = Try(file, args, cwd, env);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr}");
        }

        return r.Stdout;
    }

    public static string Bash(string script, string? cwd = null) => Run("bash", ["-euo", "pipefail", "-c", script], cwd);
}
