using System.CommandLine;
using Webc.BootSafe.StateMachine.Errors;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.StateMachine.Storage;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>`init --revision SHA`: give a new medium its slot record (Stable, that known-good).</summary>
public static class InitCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var revision = new Option<string>("--revision") { Description = "The 40-hex commit the medium boots now (becomes known-good)" };
        var force = new Option<bool>("--force") { Description = "Replace an existing slot record (its history is kept, a new lineage starts)" };
        var maxTrialBoots = new Option<int>("--max-trial-boots")
        {
            Description = "Boots a trial may take without a health verdict before it is rolled back",
            DefaultValueFactory = _ => SlotRecord.DefaultMaxTrialBoots,
        };
        var command = new Command("init", "Create the slot record of a new medium: Stable, with --revision as known-good. Exit 1 if one exists (unless --force).")
        {
            revision, force, maxTrialBoots,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            // Every input is checked before anything is written: bad input leaves the medium as it was.
            var text = parse.GetValue(revision) ?? throw new BadInputException("--revision is required (the 40-hex commit the medium boots now)");
            var knownGood = Revision.Parse(text, "--revision");
            var max = parse.GetValue(maxTrialBoots);
            if (max < 1)
            {
                throw new BadInputException($"--max-trial-boots {max} must be at least 1");
            }

            var medium = parse.GetValue(globals.Medium)!;
            if (!Directory.Exists(medium))
            {
                throw new BadInputException($"--medium {medium} is not a directory");
            }

            var layout = new MediumLayout(Path.GetFullPath(medium));
            var storage = new PosixMediumStorage();
            storage.CreateDirectory(layout.BootSafe);
            using var held = MediumLock.Acquire(layout.LockFile, SlotSession.DefaultLockTimeout);
            var store = new YamlSlotStore(storage, layout);
            if (store.Exists && !parse.GetValue(force))
            {
                throw new OperationFailedException($"{layout.StateFile} already exists: this medium is initialized (use --force to start a new record)");
            }

            var record = SlotRecord.Initial(knownGood, max);
            store.Initialize(record, DateTimeOffset.UtcNow);
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
