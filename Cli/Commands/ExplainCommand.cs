namespace Webc.BootSafe.Cli.Commands;

/// <summary>
/// `explain [--boots N]`: what each of the next N boots runs if every one of them fails before
/// BootSafe gets to run (a kernel panic), computed by the ldlinux model on a scratch copy of the real
/// extlinux.conf and ADV.
/// </summary>
public static class ExplainCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var boots = Options.Of("--boots", "How many boots to look ahead", 3);
        var command = new Command("explain", "What the next N boots will run if each of them fails (simulated on the real extlinux.conf and ADV; nothing is changed)") { boots };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var n = parse.GetValue(boots);
            if (n is < 1 or > 100)
            {
                throw new BadInputException($"--boots {n} must be between 1 and 100");
            }

            var choices = globals.Bootloader(parse).Forecast.NextBoots(n);
            if (parse.GetValue(globals.Json))
            {
                JsonOutput.Write(new JsonArray([.. choices.Select(c => new JsonObject
                {
                    ["label"] = c.Label,
                    ["revision"] = c.Revision?.Sha,
                    ["kernel"] = c.Kernel,
                    ["boot_once"] = c.ViaBootOnce,
                    ["hangs"] = c.Hung,
                })]));
                return ExitCodes.Ok;
            }

            for (var i = 0; i < choices.Count; i++)
            {
                var c = choices[i];
                var what = c.Hung
                    ? "HANGS at the boot: prompt"
                    : $"label {c.Label} -> revision {c.Revision?.Sha ?? "(none)"}{(c.ViaBootOnce ? " (boot-once)" : string.Empty)}";
                Console.WriteLine($"boot {i + 1}: {what}");
                Console.WriteLine($"        because: {string.Join("; ", c.Steps)}");
            }

            Console.WriteLine("(each boot assumed to fail before BootSafe runs, e.g. a kernel panic)");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
