using System.Diagnostics;

namespace Webc.BootSafe.Specs.Support;

/// <summary>A finished process: exit code and both outputs.</summary>
public sealed record ProcessOutput(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>
/// The one runner the specs use for a tool run to completion (git, gpg, extlinux, mount, the CLI...):
/// arguments passed as a list (no shell), stdin closed or fed, both outputs captured, and a timeout
/// after which the whole process tree is killed so a hung tool cannot hang the run.
/// </summary>
public static class Processes
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    public static ProcessOutput Try(
        string file,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IEnumerable<KeyValuePair<string, string>>? environment = null,
        string? stdin = null,
        TimeSpan? timeout = null)
    {
        var args = arguments.ToArray();
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        var limit = timeout ?? DefaultTimeout;
        try
        {
            if (!process.WaitForExit(limit))
            {
                throw new TimeoutException($"{file} {string.Join(' ', args)} ran longer than {limit}");
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }

        return new ProcessOutput(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Like <see cref="Try"/>, but a non-zero exit throws with both outputs, naming the command; returns stdout.</summary>
    public static string Run(
        string file,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IEnumerable<KeyValuePair<string, string>>? environment = null,
        string? stdin = null,
        TimeSpan? timeout = null)
    {
        var args = arguments.ToArray();
        var result = Try(file, args, workingDirectory, environment, stdin, timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {result.ExitCode}:\n{result.Stdout}{result.Stderr}");
        }

        return result.Stdout;
    }
}
