using Webc.BootSafe.Updates.Operator;

namespace Webc.BootSafe.Cli.Commands;

/// <summary><c>mark-good</c>: an operator passes the running trial; it becomes known-good.</summary>
public static class MarkGoodCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command(
            "mark-good",
            "Operator: record HealthPassed for the trial that booted (state Trying): it becomes known-good. Refused in any other state.");
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            using var session = globals.Open(parse);
            OutcomePrinter.Print(MarkGood.Run(session, DateTimeOffset.UtcNow), parse.GetValue(globals.Json));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
