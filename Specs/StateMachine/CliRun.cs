namespace Webc.BootSafe.Specs.StateMachine;

/// <summary>Runs the built webc-bootsafe (the real executable, as an operator would) and captures its output.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public static CliRun Of(params string[] args)
    {
        var result = Processes.Try("dotnet", [Path.Combine(AppContext.BaseDirectory, "webc-bootsafe.dll"), .. args], timeout: Timeout.InfiniteTimeSpan);
        return new CliRun(result.ExitCode, result.Stdout, result.Stderr);
    }
}
