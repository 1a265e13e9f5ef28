using System.Collections.Immutable;

namespace Webc.BootSafe.Updates.Confirm;

/// <summary>
/// Runs the checks of every <see cref="HealthDirectory"/>: all of required.d, then all of wanted.d,
/// each directory in lexical order and the directories in the order given (the project's layout,
/// then greenboot's: both run, neither hides the other). Every check runs even after a failure, so
/// the log names every problem at once.
/// </summary>
public sealed class HealthChecks(IReadOnlyList<HealthDirectory> directories, ScriptRunner runner)
{
    public HealthReport Run() => new(RunAll(d => d.Required), RunAll(d => d.Wanted));

    /// <summary>The green.d or red.d hooks; their failures are reported, never change the verdict.</summary>
    public ImmutableList<ScriptResult> RunHooks(bool passed) => RunAll(d => passed ? d.Green : d.Red);

    private ImmutableList<ScriptResult> RunAll(Func<HealthDirectory, string> folderOf)
    {
        var results = ImmutableList.CreateBuilder<ScriptResult>();
        foreach (var folder in directories.Select(folderOf).Distinct(StringComparer.Ordinal))
        {
            foreach (var skipped in HealthDirectory.NotExecutable(folder))
            {
                Console.Error.WriteLine($"webc-bootsafe: warning: {skipped} is not executable; skipped");
            }

            results.AddRange(HealthDirectory.Scripts(folder).Select(runner.Run));
        }

        return results.ToImmutable();
    }
}
