using System.Diagnostics;
using Webc.BootSafe.Specs.BootPath;

namespace Webc.BootSafe.Specs.PowerCut.RealDisk;

/// <summary>How a command run ended: SIGKILLed while it ran, or finished (exit code) before the kill came.</summary>
public sealed record KillOutcome(bool Killed, int ExitCode, TimeSpan Delay)
{
    public override string ToString() =>
        Killed ? $"SIGKILLed after {Delay.TotalMilliseconds:F0} ms" : $"finished (exit {ExitCode}) before the kill at {Delay.TotalMilliseconds:F0} ms";
}

/// <summary>
/// Starts the AOT CLI on the medium in its own process group (setsid) and, after a delay, SIGKILLs
/// the whole group in one kill(2): the CLI and any git child (which holds the medium's repository
/// open) die at whatever instruction they were at.
/// </summary>
public static partial class KillableCommand
{
    private const int Sigkill = 9;
    private const int SigkillExitCode = 128 + Sigkill;

    /// <summary>An uninterrupted run: how long the command takes from start to exit.</summary>
    public static TimeSpan Measure(string medium, IReadOnlyList<string> arguments, out ProcessResult result)
    {
        var clock = Stopwatch.StartNew();
        result = ProcessResult.Run("setsid", [AotBinary.Path, "--medium", medium, .. arguments]);
        return clock.Elapsed;
    }

    public static KillOutcome RunAndKill(string medium, IReadOnlyList<string> arguments, TimeSpan delay)
    {
        // setsid execs the CLI in place (its caller is no group leader), so the pid is the group's.
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { AotBinary.Path, "--medium", medium }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + AotBinary.Path);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(delay))
        {
            // ESRCH (it exited meanwhile) is fine: the exit code below says which happened.
            _ = Kill(-process.Id, Sigkill);
        }

        process.WaitForExit();
        _ = stdout.Result + stderr.Result;
        return new KillOutcome(process.ExitCode == SigkillExitCode, process.ExitCode, delay);
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
