using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Updates.Operator;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>
/// <c>unfail REV --reason TEXT</c>: lift a wrongly blacklisted revision from the failed set (recorded
/// in the history with the reason). Exit 1 when REV is not in the failed set, 2 for a bad REV.
/// </summary>
public static class UnfailCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var revision = new Argument<string>("REV") { Description = "The full 40-hex commit to lift from the failed set" };
        var reason = new Option<string>("--reason") { Description = "Why it was wrongly failed, recorded in the history", Required = true };
        var command = new Command(
            "unfail",
            "Operator: lift REV from the failed set, so it may be staged again without --force. Allowed in every state; changes nothing else. Exit 1 if REV is not in the failed set.")
        {
            revision, reason,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            // Inputs are checked before the medium is opened: bad input leaves it untouched.
            var rev = Revision.Parse(parse.GetValue(revision), "REV");
            var why = parse.GetValue(reason);
            if (string.IsNullOrWhiteSpace(why))
            {
                throw new BadInputException("--reason must say why the revision is lifted from the failed set");
            }

            using var session = globals.Open(parse);
            OutcomePrinter.Print(UnfailRevision.Run(session, rev, why, DateTimeOffset.UtcNow), parse.GetValue(globals.Json));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
