namespace Webc.BootSafe.Specs.Lab;

/// <summary>Runs a lab command to completion through <see cref="Processes"/>; a non-zero exit throws with its output so the failing step is named.</summary>
public static class Run
{
    public static string Command(string file, params string[] arguments) => Command(TimeSpan.FromMinutes(2), file, arguments);

    public static string Command(TimeSpan timeout, string file, params string[] arguments) =>
        Processes.Run(file, arguments, timeout: timeout);

    public static CommandResult Try(string file, params string[] arguments) => Try(TimeSpan.FromMinutes(2), file, arguments);

    public static CommandResult Try(TimeSpan timeout, string file, params string[] arguments)
    {
        var result = Processes.Try(file, arguments, timeout: timeout);
        return new CommandResult(result.ExitCode, result.Stdout, result.Stderr);
    }

    /// <summary>A script from the repository's lab/ folder, run with bash.</summary>
    public static string LabScript(string name, params string[] arguments) =>
        Command(TimeSpan.FromMinutes(3), "bash", [Path.Combine(RepoPaths.Root, "lab", name), .. arguments]);
}

public sealed record CommandResult(int ExitCode, string Output, string Error);
