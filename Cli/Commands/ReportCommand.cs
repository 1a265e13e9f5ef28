using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Updates.Fleet;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>`report [--flush]`: the outbox of transition reports; with --flush, post it to report-url now.</summary>
public static class ReportCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var flush = new Option<bool>("--flush") { Description = "Post the queued reports now, ignoring the backoff" };
        var cmdline = Options.Cmdline();
        var command = new Command("report", "Show the queued transition reports (live/bootsafe/outbox); with --flush, post them to report-url, oldest first, each removed only after a 2xx. Exit 0 when nothing is left to post or without --flush; 1 when a post was not accepted (the rest stay queued, retried with backoff); 2 on bad input.")
        {
            flush, cmdline,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var layout = globals.Layout(parse);
            var parameters = BootParameterReader.Read(layout, parse.GetValue(cmdline)!);
            var poster = new ReportPoster(layout, new PosixMediumStorage());
            var result = parse.GetValue(flush)
                ? poster.Flush(parameters, DateTimeOffset.UtcNow, force: true)
                : poster.Status(parameters, DateTimeOffset.UtcNow);
            if (parse.GetValue(globals.Json))
            {
                JsonOutput.Write(new JsonObject
                {
                    ["posted"] = result.Posted,
                    ["pending"] = result.Pending,
                    ["dropped"] = result.Dropped,
                    ["failed_attempts"] = result.FailedAttempts,
                    ["next_attempt"] = result.NextAttempt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ["message"] = result.Message,
                });
            }
            else
            {
                OutcomePrinter.Lines(result.Lines());
            }

            if (result.Failed)
            {
                Console.Error.WriteLine(JournalStream.Error("webc-bootsafe: " + result.Message));
                return ExitCodes.Failed;
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
