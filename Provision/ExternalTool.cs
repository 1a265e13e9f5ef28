using System.Diagnostics;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Provision;

/// <summary>
/// Runs the system tools the installer drives (sfdisk, losetup, mkfs.ext4, extlinux, git). A failure
/// names the tool, its arguments and what it printed, so the installer's step message is complete.
/// </summary>
public static class ExternalTool
{
    /// <summary>Runs to completion and returns standard output, trimmed.</summary>
    /// <param name="passErrors">Let the tool's stderr reach the operator live (git's progress meter).</param>
    public static string Run(string file, IReadOnlyList<string> args, string? stdin = null, bool passErrors = false)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = !passErrors,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        // The operator's git configuration must not change what is cloned or how (no filters, no shallow defaults).
        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        info.Environment["LC_ALL"] = "C";

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new OperationFailedException($"cannot start {file}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new OperationFailedException($"cannot run {file}: {e.Message} (is it installed?)", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = passErrors ? Task.FromResult("") : process.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
            }

            process.StandardInput.Close();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                var said = (stderr.Result + stdout.Result).Trim();
                throw new OperationFailedException(
                    $"{file} {string.Join(' ', args)} exited {process.ExitCode}{(said.Length > 0 ? ": " + said : "")}");
            }

            return stdout.Result.Trim();
        }
    }

    /// <summary>Like <see cref="Run"/>, but a failure is an answer (false), not an error.</summary>
    public static bool TryRun(string file, IReadOnlyList<string> args)
    {
        try
        {
            Run(file, args);
            return true;
        }
        catch (OperationFailedException)
        {
            return false;
        }
    }
}
