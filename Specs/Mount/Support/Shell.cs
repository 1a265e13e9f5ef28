using System.Diagnostics;

namespace Webc.BootSafe.Specs.Mount.Support;

/// <summary>Runs real tools (git, tar, find, gcc) for the specs; a non-zero exit fails the spec with stderr.</summary>
public static class Shell
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Try(string file, IEnumerable<string> args, string? cwd = null, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = cwd ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return new Result(p.ExitCode, stdout, stderr.Result);
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
