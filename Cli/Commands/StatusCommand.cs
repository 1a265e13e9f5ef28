using System.CommandLine;
using System.Text.Json;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>`status`: the slot record, read without the lock (state.yaml is only ever replaced whole).</summary>
public static class StatusCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("status", "Show the slot record and when and why the failed set last changed. Reports when the newest generation was unreadable and the previous one was used. Exit 1 if none is readable.");
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var layout = new MediumLayout(Path.GetFullPath(parse.GetValue(globals.Medium)!));
            var store = new YamlSlotStore(new PosixMediumStorage(), layout);
            var load = store.Load();
            if (load.Recovery is not null)
            {
                Console.Error.WriteLine($"webc-bootsafe: warning: {load.Recovery}");
            }

            var view = RecordView.Of(load.Record, load.Recovery) with
            {
                FailedSetChanged = FailedSetChange.Of(load.Record, store.History.ReadLines(out _)),
            };
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
