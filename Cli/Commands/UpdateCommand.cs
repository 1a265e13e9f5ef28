using Webc.BootSafe.Fetch.Git;
using Webc.BootSafe.Updates.Confirm;
using Webc.BootSafe.Updates.Fleet;
using Webc.BootSafe.Updates.Staging;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>`update --now`: fetch, verify, stage and reboot into the trial in one command (logic in <see cref="UpdateNow"/>).</summary>
public static class UpdateCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var now = new Option<bool>("--now") { Description = "Reboot into the staged trial right away (without it, the next boot tries it)" };
        var cmdline = Options.Cmdline();
        var reboot = Options.RebootCommand();
        var machineId = Options.MachineIdFile();
        var command = new Command("update", "Fetch, verify and stage the candidate as `fetch --stage` does; with --now, reboot into it. Exit 3 when a trial is staged and the reboot was run (--now); 0 when up to date, noupgrade, or staged without --now; 1 when refused or the fetch failed.")
        {
            now, cmdline, reboot, machineId,
        };
        command.SetAction(parse => CommandRunner.RunText(() =>
        {
            var fleet = new FleetFetch(globals.Layout(parse), () => globals.Open(parse), parse.GetValue(cmdline)!, parse.GetValue(machineId)!, OutcomePrinter.Note);
            var rebootCommand = parse.GetValue(now) ? RebootCommand.From(parse.GetValue(reboot)) : null;
            var result = fleet.Run((fetch, parameters) => new UpdateNow(fetch, rebootCommand).Run(parameters, new LogLineProgress(Console.Error)));
            Console.WriteLine(result.Update.Summary);
            if (!result.RebootRequested || result.RebootExitCode is not { } code)
            {
                return ExitCodes.Ok;
            }

            Console.WriteLine($"reboot requested into trial {result.Trial} (reboot command exited {code})");
            OutcomePrinter.Note($"reboot requested into trial {result.Trial}" + (code == 0 ? "" : $"; the reboot command exited {code}: reboot by hand"));
            return ExitCodes.RebootRequested;
        }));
        return command;
    }
}
