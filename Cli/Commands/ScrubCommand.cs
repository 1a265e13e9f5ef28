using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Updates.Operator;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>
/// `scrub`: re-hash every object reachable from known-good, trial and previous, and the kernel files
/// on the medium. Exit 0 when all are intact, 1 with one line per corrupt object (stderr, or --json).
/// </summary>
public static class ScrubCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("scrub", "Re-hash every object reachable from known-good, trial and previous, and the kernel files on the medium against their blobs. Exit 1 with one line per corrupt object.");
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var layout = globals.Layout(parse);
            var report = ScrubMedium.Run(layout, BootParameterReader.Read(layout).KernelFlavour);
            // One line per corrupt object on stderr, with --json too: a failing exit always says why.
            foreach (var c in report.Corrupt)
            {
                OutcomePrinter.Note($"corrupt object {c.Id} ({c.Where}): {c.Problem}");
            }

            if (parse.GetValue(globals.Json))
            {
                JsonOutput.Write(new JsonObject
                {
                    ["ok"] = report.Corrupt.Count == 0,
                    ["objects_checked"] = report.ObjectsChecked,
                    ["kernel_files_checked"] = report.KernelFilesChecked,
                    ["corrupt"] = new JsonArray([.. report.Corrupt.Select(c => new JsonObject { ["object"] = c.Id.ToString(), ["where"] = c.Where, ["problem"] = c.Problem })]),
                }, indented: true);
            }
            else
            {
                Console.WriteLine(report.Corrupt.Count == 0
                    ? $"scrub: {report.ObjectsChecked} objects and {report.KernelFilesChecked} kernel files intact"
                    : $"scrub: {report.Corrupt.Count} corrupt of {report.ObjectsChecked} objects and {report.KernelFilesChecked} kernel files");
            }

            return report.Corrupt.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }
}
