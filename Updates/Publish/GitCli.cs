using System.Diagnostics;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Updates.Publish;

/// <summary>The real git CLI on one repository: commit-root writes objects and refs only through it.</summary>
public sealed class GitCli(string repository, IReadOnlyDictionary<string, string>? environment = null)
{
    public ProcessStartInfo Start(IEnumerable<string> args, bool stdin = false)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardInput = stdin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(repository);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>Runs git; its stdout trimmed, or null when it exits non-zero and that is allowed.</summary>
    public string? Run(IEnumerable<string> args, bool allowFailure = false)
    {
        var list = args.ToList();
        using var git = Process.Start(Start(list)) ?? throw new OperationFailedException("git: could not start");
        var stderr = git.StandardError.ReadToEndAsync();
        var stdout = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        if (git.ExitCode != 0)
        {
            return allowFailure ? null : throw new OperationFailedException($"git {string.Join(' ', list.Take(4))}: {stderr.Result.Trim()} (exit {git.ExitCode})");
        }

        return stdout.Trim();
    }
}
