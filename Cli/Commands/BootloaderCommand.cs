using Webc.BootSafe.Updates.Boot;
using Webc.BootSafe.Bootloader.Simulation;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>
/// `bootloader show|once|sync|simulate-boot`: the extlinux side of the medium. `once` is the
/// operator's manual boot-once, outside the slot machine; `simulate-boot` runs the ldlinux model on
/// the real files (it consumes boot-once like a real boot) and reports the outcome to the machine.
/// </summary>
public static class BootloaderCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("bootloader", "Inspect and steer extlinux: labels, kernel files, the ADV's boot-once entry");
        command.Subcommands.Add(Show(globals));
        command.Subcommands.Add(Once(globals));
        command.Subcommands.Add(Sync(globals));
        command.Subcommands.Add(SimulateBoot(globals));
        return command;
    }

    private static Command Show(GlobalOptions globals)
    {
        var command = new Command("show", "Labels of extlinux.conf with their revisions and files, the kernel files in live/, and the ADV (both copies, BOOTONCE)");
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var layout = globals.Layout(parse);
            var report = BootloaderReport.Read(globals.Bootloader(parse));
            var (config, adv) = (report.Config, report.Adv);
            if (parse.GetValue(globals.Json))
            {
                JsonOutput.Write(new JsonObject
                {
                    ["config"] = report.ConfigPath,
                    ["default"] = config.Default,
                    ["timeout"] = config.TimeoutTenths,
                    ["onerror"] = config.OnError,
                    ["labels"] = new JsonArray([.. report.Labels.Select(l => new JsonObject
                    {
                        ["label"] = l.Entry.Name,
                        ["revision"] = l.Entry.RevisionText,
                        ["kernel"] = l.Entry.Kernel,
                        ["initrd"] = l.Entry.Initrd,
                        ["append"] = l.Entry.Append,
                        ["files_present"] = l.FilesPresent,
                    })]),
                    ["files"] = new JsonArray([.. report.Files.Select(f => new JsonObject { ["name"] = f.Name, ["referenced"] = f.Referenced })]),
                    ["adv"] = new JsonObject
                    {
                        ["file"] = report.AdvFile,
                        ["copy0"] = adv?.Copy0.ToString(),
                        ["copy1"] = adv?.Copy1.ToString(),
                        ["boot_once"] = adv?.Adv.BootOnce,
                    },
                });
                return ExitCodes.Ok;
            }

            OutcomePrinter.Lines(report.Lines(layout.Live));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Once(GlobalOptions globals)
    {
        var label = new Argument<string?>("label") { Description = "Label to boot once at the next boot (words after it are appended to its APPEND)", Arity = ArgumentArity.ZeroOrOne };
        var clear = new Option<bool>("--clear") { Description = "Remove the boot-once entry: the next boot runs DEFAULT" };
        var command = new Command("once", "Set or clear the ADV's boot-once entry by hand (outside the slot machine; `stage` arms it for a trial)") { label, clear };
        command.SetAction(parse => CommandRunner.RunText(() =>
        {
            _ = globals.Layout(parse);
            var line = parse.GetValue(label)?.Trim();
            var clearing = parse.GetValue(clear);
            if (line?.StartsWith('-') == true || clearing == !string.IsNullOrEmpty(line))
            {
                throw new BadInputException(line?.StartsWith('-') == true
                    ? $"'{line.Split(' ')[0]}' is not an option of bootloader once (give a LABEL or --clear)"
                    : "give either a LABEL or --clear");
            }

            ManualBootOnce.Write(globals.Bootloader(parse), clearing ? null : line);
            Console.WriteLine(clearing ? "boot-once cleared: the next boot runs DEFAULT" : $"boot-once set: the next boot (only) runs '{line}'");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Sync(GlobalOptions globals)
    {
        var kernel = new Option<string?>("--kernel") { Description = "Known-good's kernel, when the medium does not have it yet (default: from the medium's repository)" };
        var initrd = new Option<string?>("--initrd") { Description = "Known-good's initrd" };
        var repo = new Option<string?>("--repo") { Description = "Take known-good's kernel files from the commit's boot/ in this repository" };
        var entryOptions = new EntryOptions();
        var command = new Command("sync", "Make extlinux.conf name what the slot record says (a new medium, or after a hand edit), installing known-good's kernel files when given") { kernel, initrd, repo };
        entryOptions.AddTo(command);
        command.SetAction(parse => CommandRunner.RunText(() =>
        {
            var layout = globals.Layout(parse);
            using var session = globals.Open(parse, entryOptions.Read(parse, layout));
            var sync = SyncBootloader.Run(session, parse.GetValue(kernel), parse.GetValue(initrd), parse.GetValue(repo));
            sync.Repairs.ToList().ForEach(repair => Console.WriteLine("repaired: " + repair));
            var labels = string.Join(", ", sync.Entries.Labels.Select(l => $"{l.Label.Name()}={l.Revision.Short}"));
            Console.WriteLine(sync.Changed ? $"wrote {layout.ExtlinuxConfig}: {labels}" : $"{layout.ExtlinuxConfig} already names what the record says: {labels}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command SimulateBoot(GlobalOptions globals)
    {
        var outcome = Options.Of("--outcome", "How the booted revision behaves: healthy, panic (kernel panics), initramfs-fails, health-fails", "healthy");
        var advFails = new Option<bool>("--adv-write-fails") { Description = "The boot-time ADV write fails (ldlinux ignores it: boot-once stays armed)" };
        var command = new Command("simulate-boot", "SIMULATION: boot the medium with the ldlinux model (real extlinux.conf and ADV; consumes boot-once), then report the boot and the health verdict to the slot machine as the initramfs would") { outcome, advFails };
        command.SetAction(parse => CommandRunner.RunText(() =>
        {
            var layout = globals.Layout(parse);
            var text = parse.GetValue(outcome);
            var behaviour = SimulatedBoot.Behaviour(text);
            using var session = globals.Open(parse);
            var boot = new BootSimulator(session.Bootloader!.Ldlinux, session, () => DateTimeOffset.UtcNow)
                .Boot(_ => behaviour, new BootFaults(parse.GetValue(advFails)));
            OutcomePrinter.Lines(boot.Choice.Steps.Select(step => "ldlinux: " + step));

            if (boot.Choice.Hung)
            {
                Console.WriteLine("the machine hangs at the boot: prompt");
                OutcomePrinter.Note($"bootloader simulate-boot: the simulated boot hangs at the boot: prompt ({layout.ExtlinuxConfig} names no bootable label)");
                return ExitCodes.Failed;
            }

            Console.WriteLine($"kernel command line: {boot.Choice.CommandLine}");
            Console.WriteLine($"outcome: {text}");
            foreach (var applied in boot.Transitions)
            {
                OutcomePrinter.Print(applied, json: false);
            }

            if (boot.MachineReboots)
            {
                Console.WriteLine("the machine reboots");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
