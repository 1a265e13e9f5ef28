using Spectre.Console;
using Webc.BootSafe.Fetch.Git;
using Webc.BootSafe.Updates.Fleet;
using Webc.BootSafe.Updates.Staging;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>`fetch [--stage]`: fetch fetch-revision (or the update-revision pin), verify it, and optionally stage it as the trial.</summary>
public static class FetchCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var stage = new Option<bool>("--stage") { Description = "Stage a verified candidate: kernel files, trial label, boot-once" };
        var cmdline = Options.Cmdline();
        var machineId = Options.MachineIdFile();
        var plan = new Option<bool>("--plan") { Description = "Fetch and verify, stage nothing, and print the size of the upgrade: bytes received, files added/changed/removed vs known-good, kernel change" };
        var command = new Command("fetch", "Download config-url into live/webc-cmdline (a failure is a warning), fetch from config.yaml's remote into live/filesystem.git and verify the candidate; with --stage, stage it. Exit 0 when verified, staged, up to date or noupgrade; 1 when refused or the fetch failed (nothing changed); 2 on bad input. Queued reports are posted last.")
        {
            stage, cmdline, machineId, plan,
        };
        command.SetAction(parse => (parse.GetValue(plan) ? (Func<Func<int>, int>)CommandRunner.Run : CommandRunner.RunText)(() =>
        {
            var layout = globals.Layout(parse);
            var fleet = new FleetFetch(layout, () => globals.Open(parse), parse.GetValue(cmdline)!, parse.GetValue(machineId)!, OutcomePrinter.Note)
            {
                OnOverrun = why =>
                {
                    OutcomePrinter.Note(why);
                    Environment.Exit(ExitCodes.Failed);
                },
            };
            if (parse.GetValue(plan))
            {
                return fleet.Run((run, parameters) => FetchPlanOutput.Print(UpgradePlanner.Plan(run, layout, parameters, new LogLineProgress(Console.Error))));
            }

            OutcomePrinter.Lines(fleet.Run((run, parameters) => WithProgress(progress => run.Run(parameters, parse.GetValue(stage), progress))).Lines());
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>A Spectre progress bar on a terminal; plain log lines on stderr otherwise (journald, pipes).</summary>
    private static UpdateResult WithProgress(Func<IProgress<TransferSnapshot>, UpdateResult> body)
    {
        if (Console.IsErrorRedirected || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return body(new LogLineProgress(Console.Error));
        }

        UpdateResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("fetch", autoStart: true, maxValue: 1);
                result = body(new Progress(task));
                task.StopTask();
            });
        return result!;
    }

    private sealed class Progress(ProgressTask task) : IProgress<TransferSnapshot>
    {
        public void Report(TransferSnapshot value)
        {
            task.MaxValue = Math.Max(1, value.TotalObjects);
            task.Value = value.ReceivedObjects;
            task.Description = $"fetch {value.ReceivedObjects}/{value.TotalObjects} objects, {value.ReceivedBytes / 1024} KiB";
        }
    }
}
