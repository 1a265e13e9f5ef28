namespace Webc.BootSafe.Specs.BootPath;

/// <summary>A finished process: exit code and both outputs (run by <see cref="Processes"/>).</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public static ProcessResult Run(string file, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var result = Processes.Try(file, arguments, environment: environment, timeout: timeout);
        return new ProcessResult(result.ExitCode, result.Stdout, result.Stderr);
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
