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
                Console.Error.WriteLine($"webc-bootsafe: warning: {view.Recovery}");
            }

            if (parse.GetValue(globals.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(view, RecordJsonContext.Readable.RecordView));
                return ExitCodes.Ok;
            }

            Console.WriteLine($"state:           {view.State}");
            Console.WriteLine($"known-good:      {view.KnownGood}");
            Console.WriteLine($"trial:           {view.Trial ?? "-"}");
            Console.WriteLine($"previous:        {view.Previous ?? "-"}");
            Console.WriteLine($"trial boots:     {view.TrialBoots} of {view.MaxTrialBoots}");
            Console.WriteLine($"generation:      {view.Generation}");
            if (view.LastBoot is { } b)
            {
                Console.WriteLine($"last boot:       {b.Revision} via {b.Slot ?? "?"} at {b.At}");
            }

            foreach (var f in view.Failed)
            {
                Console.WriteLine($"failed:          {f.Revision} at {f.At}: {f.Reason}");
            }

            if (view.FailedSetChanged is { } c)
            {
                Console.WriteLine($"failed set:      last changed {c.At}: {c.Revision} {c.Change} ({c.Reason})");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
