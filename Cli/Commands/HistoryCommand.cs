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
            var (lines, verdict) = ReadHistory.Run(new MediumLayout(Path.GetFullPath(parse.GetValue(globals.Medium)!)), parse.GetValue(verify));
            // Problems go to stderr with --json too: a failing exit always says why.
            foreach (var problem in verdict?.Problems ?? [])
            {
                Console.Error.WriteLine("webc-bootsafe: history: " + problem);
            }

            if (parse.GetValue(globals.Json))
            {
                var report = new HistoryReport(
                    [.. lines.Select(l => l.Entry).OfType<HistoryEntry>()], verdict?.Ok, verdict?.Problems ?? [], verdict?.Notes ?? []);
                Console.WriteLine(JsonSerializer.Serialize(report, RecordJsonContext.Readable.HistoryReport));
            }
            else
            {
                foreach (var line in lines)
                {
                    Console.WriteLine(line.Entry is { } e
                        ? $"{e.Seq,4} {e.At} {e.Trigger,-12} {(e.From.Length > 0 ? e.From : "-"),-10} -> {e.To,-10} gen {e.Generation} {e.Reason}"
                        : $"{line.Number,4} (unreadable line)");
                }

                if (verdict is not null)
                {
                    foreach (var note in verdict.Notes)
                    {
                        Console.WriteLine("note: " + note);
                    }

                    Console.WriteLine(verdict.Ok ? $"history verified: {verdict.Lines} line(s), replay matches generation {verdict.Replayed?.Generation}" : "history verification FAILED");
                }
            }

            return verdict is { Ok: false } ? ExitCodes.Failed : ExitCodes.Ok;
        }));
        return command;
    }
}
