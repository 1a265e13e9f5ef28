using Webc.BootSafe.Updates.Operator;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>`init --revision SHA`: give a new medium its slot record (Stable, that known-good).</summary>
public static class InitCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var revision = new Option<string>("--revision") { Description = "The 40-hex commit the medium boots now (becomes known-good)" };
        var force = new Option<bool>("--force") { Description = "Replace an existing slot record (its history is kept, a new lineage starts)" };
        var maxTrialBoots = Options.Of("--max-trial-boots", "Boots a trial may take without a health verdict before it is rolled back", SlotRecord.DefaultMaxTrialBoots);
        var command = new Command("init", "Create the slot record of a new medium: Stable, with --revision as known-good. Exit 1 if one exists (unless --force).")
        {
            revision, force, maxTrialBoots,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            // Every input is checked before anything is written: bad input leaves the medium as it was.
            var text = parse.GetValue(revision) ?? throw new BadInputException("--revision is required (the 40-hex commit the medium boots now)");
            var knownGood = Revision.Parse(text, "--revision");
            var layout = globals.Layout(parse);
            var record = InitializeMedium.Run(layout, new PosixMediumStorage(), knownGood, parse.GetValue(maxTrialBoots), parse.GetValue(force), DateTimeOffset.UtcNow);
            if (parse.GetValue(globals.Json))
            {
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(RecordView.Of(record), RecordJsonContext.Readable.RecordView));
            }
            else
            {
                Console.WriteLine($"initialized {layout.Root}: Stable, known-good {knownGood}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
