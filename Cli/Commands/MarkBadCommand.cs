using Webc.BootSafe.Updates.Confirm;
using Webc.BootSafe.Updates.Operator;

namespace Webc.BootSafe.Cli.Commands;

/// <summary><c>mark-bad</c>: an operator fails the running trial; it is rolled back and never staged again unless forced.</summary>
public static class MarkBadCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var reason = Options.Of("--reason", "Why, recorded in the failed set and the history", "no reason given");
        var reboot = new Option<bool>("--reboot") { Description = "Reboot into known-good right away" };
        var rebootCommand = Options.RebootCommand();
        var command = new Command(
            "mark-bad",
            "Operator: record HealthFailed for the trial that booted (state Trying): it is rolled back to known-good. Refused in any other state.")
        {
            reason, reboot, rebootCommand,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var outcome = MarkBad.Run(() => globals.Open(parse), parse.GetValue(reason)!, DateTimeOffset.UtcNow);
            OutcomePrinter.Print(outcome, parse.GetValue(globals.Json));
            if (outcome.RebootReason is not { } why)
            {
                return ExitCodes.Ok;
            }

            if (!parse.GetValue(reboot))
            {
                OutcomePrinter.Note("reboot to return to known-good (or run again with --reboot)");
                return ExitCodes.Ok;
            }

            return RebootCommand.From(parse.GetValue(rebootCommand)).Run(why) == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }
}
