using System.CommandLine;
using Webc.BootSafe.Cli.BootPath;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Storage;

namespace Webc.BootSafe.Cli.Commands;

/// <summary><c>mark-good</c>: an operator promotes the running trial without the health checks.</summary>
public static class MarkGoodCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command(
            "mark-good",
            "Operator: record HealthPassed for the trial that booted (state Trying): it becomes known-good. Refused in any other state.");
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var decisions = new SlotDecisions(new MediumLayout(parse.GetValue(globals.Medium)!), new PosixMediumStorage());
            var decision = decisions.Fire(new HealthPassed(), DateTimeOffset.UtcNow);
            Console.WriteLine(decision.Transition.Reason);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
