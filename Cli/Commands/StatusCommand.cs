using System.Text.Json;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Updates.Operator;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>`status`: the slot record (<see cref="ReadStatus"/>), as text or JSON.</summary>
public static class StatusCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("status", "Show the slot record and when and why the failed set last changed. Reports when the newest generation was unreadable and the previous one was used. Exit 1 if none is readable.");
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var view = ReadStatus.Run(new MediumLayout(Path.GetFullPath(parse.GetValue(globals.Medium)!)));
            if (view.Recovery is not null)
            {
                OutcomePrinter.Note($"warning: {view.Recovery}");
            }

            if (parse.GetValue(globals.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(view, RecordJsonContext.Readable.RecordView));
                return ExitCodes.Ok;
            }

            OutcomePrinter.Lines(ReadStatus.Lines(view));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
