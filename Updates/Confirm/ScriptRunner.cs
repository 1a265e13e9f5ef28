using System.Diagnostics;

namespace Webc.BootSafe.Updates.Confirm;

/// <summary>
/// Runs one script in a session of its own (setsid), so that on timeout, and after it exits, its
/// whole process group is killed. Its output goes to our stderr, each line prefixed with its name,
/// so stdout stays the command's own report (and valid JSON with --json).
/// </summary>
public sealed class ScriptRunner(TimeSpan timeout, IReadOnlyDictionary<string, string> environment)
{
    public ScriptResult Run(string path)
    {
        var name = Path.GetFileName(Path.GetDirectoryName(path)) + "/" + Path.GetFileName(path);
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(path);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Forward(name, e.Data);
        process.ErrorDataReceived += (_, e) => Forward(name, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new ScriptResult(name, null, false, clock.Elapsed, e.Message);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // setsid(1) calls setsid(2) in place (we are not a group leader), so the script's pid is its
        // process group id.
        var exited = process.WaitForExit(timeout);
        ProcessGroup.Kill(process.Id);
        process.WaitForExit();
        var elapsed = clock.Elapsed;
        return exited
            ? new ScriptResult(name, process.ExitCode, false, elapsed)
            : new ScriptResult(name, null, true, elapsed);
    }

    private static void Forward(string name, string? line)
    {
        if (line is not null)
        {
            Console.Error.WriteLine($"[{name}] {line}");
        }
    }
}
