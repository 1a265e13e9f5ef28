using System.Collections.Immutable;

namespace Webc.BootSafe.Updates.Confirm;

/// <summary>
/// Runs the checks of a <see cref="HealthDirectory"/>: all of required.d, then all of wanted.d, each
/// in lexical order. Every check runs even after a failure, so the log names every problem at once.
/// </summary>
public sealed class HealthChecks(HealthDirectory directory, ScriptRunner runner)
{
    public HealthReport Run() => new(RunAll(directory.Required), RunAll(directory.Wanted));

    /// <summary>The green.d or red.d hooks; their failures are reported, never change the verdict.</summary>
    public ImmutableList<ScriptResult> RunHooks(bool passed) => RunAll(passed ? directory.Green : directory.Red);

    private ImmutableList<ScriptResult> RunAll(string folder)
    {
        foreach (var skipped in HealthDirectory.NotExecutable(folder))
        {
            Console.Error.WriteLine($"webc-bootsafe: warning: {skipped} is not executable; skipped");
        }

        return [.. HealthDirectory.Scripts(folder).Select(runner.Run)];
    }
}
