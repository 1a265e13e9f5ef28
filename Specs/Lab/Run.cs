using System.Diagnostics;

namespace Webc.BootSafe.Specs.Lab;

/// <summary>Runs a lab command to completion; a non-zero exit throws with its output so the failing step is named.</summary>
public static class Run
{
    public static string Command(string file, params string[] arguments) => Command(TimeSpan.FromMinutes(2), file, arguments);

    public static string Command(TimeSpan timeout, string file, params string[] arguments)
    {
        var result = Try(timeout, file, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{file} {string.Join(' ', arguments)} exited {result.ExitCode}:\n{result.Output}{result.Error}");
        }

        return result.Output;
    }

    public static CommandResult Try(string file, params string[] arguments) => Try(TimeSpan.FromMinutes(2), file, arguments);

    public static CommandResult Try(TimeSpan timeout, string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            if (!process.WaitForExit(timeout))
            {
                throw new TimeoutException($"{file} {string.Join(' ', arguments)} ran longer than {timeout}");
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

        return new CommandResult(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>A script from the repository's lab/ folder, run with bash.</summary>
    public static string LabScript(string name, params string[] arguments) =>
        Command(TimeSpan.FromMinutes(3), "bash", [Path.Combine(Support.RepoPaths.Root, "lab", name), .. arguments]);
}

public sealed record CommandResult(int ExitCode, string Output, string Error);
