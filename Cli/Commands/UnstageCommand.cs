using System.CommandLine;
using Webc.BootSafe.Cli.BootPath;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Storage;

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
            var layout = StageCommand.Medium(parse.GetValue(globals.Medium));
            var decision = new SlotDecisions(layout, new PosixMediumStorage()).Fire(new Unstage(), DateTimeOffset.UtcNow);
            Console.WriteLine($"{decision.Transition.Before.State} -> {decision.Transition.After.State}: {decision.Transition.Reason}");
            foreach (var step in decision.Steps)
            {
                Console.WriteLine("  " + step);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
