using Webc.BootSafe.Updates.Operator;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>
/// <c>unstage</c>: withdraw a staged trial before it booted: boot-once disarmed, the trial label
/// removed, the record back to Stable, the trial's kernel files pruned (the order of
/// docs/crash-safety.md). Re-running it after an interruption finishes it.
/// </summary>
public static class UnstageCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command(
            "unstage",
            "Withdraw the staged trial before it booted (state Staged -> Stable): disarm boot-once, drop the trial label, prune its files. Exit 1 in any other state.");
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            using var session = globals.Open(parse);
            OutcomePrinter.Print(UnstageTrial.Run(session, DateTimeOffset.UtcNow), parse.GetValue(globals.Json));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
