using System.Text.Json;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Updates.Operator;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>`history [--verify]`: the transitions, and with --verify the hash chain and a replay check.</summary>
public static class HistoryCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var verify = new Option<bool>("--verify") { Description = "Check the hash chain and that replaying it from init gives the current record (exit 1 if not)" };
        var command = new Command("history", "Show the transition history (live/bootsafe/history.log).") { verify };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var history = ReadHistory.Run(new MediumLayout(Path.GetFullPath(parse.GetValue(globals.Medium)!)), parse.GetValue(verify));
            // Problems go to stderr with --json too: a failing exit always says why.
            foreach (var problem in history.Verdict?.Problems ?? [])
            {
                OutcomePrinter.Note("history: " + problem);
            }

            if (parse.GetValue(globals.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(history.Report(), RecordJsonContext.Readable.HistoryReport));
            }
            else
            {
                OutcomePrinter.Lines(history.Text());
            }

            return history.Verdict is { Ok: false } ? ExitCodes.Failed : ExitCodes.Ok;
        }));
        return command;
    }
}
