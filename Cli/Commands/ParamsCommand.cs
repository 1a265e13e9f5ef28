using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>`params [--cmdline FILE]`: the effective boot parameters and where each came from.</summary>
public static class ParamsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var cmdline = Options.Cmdline();
        var command = new Command("params", "Print the effective parameters (config.yaml < /proc/cmdline < live/webc-cmdline) and the source of each. Exit 2 if config.yaml is invalid.")
        {
            cmdline,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var layout = new MediumLayout(Path.GetFullPath(parse.GetValue(globals.Medium)!));
            var rows = ParameterRow.Of(BootParameterReader.Read(layout, parse.GetValue(cmdline)!)).ToList();
            if (parse.GetValue(globals.Json))
            {
                JsonOutput.Write(new JsonObject(rows.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)new JsonObject { ["value"] = r.Value, ["source"] = r.Source }))), indented: true);
                return ExitCodes.Ok;
            }

            rows.ForEach(row => Console.WriteLine($"{row.Key,-22}{row.Value ?? "-",-44} {row.Source}"));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
