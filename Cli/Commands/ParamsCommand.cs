using System.CommandLine;
using System.Text.Json;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>`params [--cmdline FILE]`: the effective boot parameters and where each came from.</summary>
public static class ParamsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var cmdline = new Option<string>("--cmdline")
        {
            Description = "Read the kernel command line from FILE instead of /proc/cmdline",
            DefaultValueFactory = _ => BootParameterReader.ProcCmdline,
        };
        var command = new Command("params", "Print the effective parameters (config.yaml < /proc/cmdline < live/webc-cmdline) and the source of each. Exit 2 if config.yaml is invalid.")
        {
            cmdline,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var layout = new MediumLayout(Path.GetFullPath(parse.GetValue(globals.Medium)!));
            var parameters = BootParameterReader.Read(layout, parse.GetValue(cmdline)!);
            var rows = Rows(parameters);
            if (parse.GetValue(globals.Json))
            {
                using var stdout = Console.OpenStandardOutput();
                using var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true });
                json.WriteStartObject();
                foreach (var (key, value, source) in rows)
                {
                    json.WriteStartObject(key);
                    json.WriteString("value", value);
                    json.WriteString("source", source);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
                json.Flush();
                Console.WriteLine();
                return ExitCodes.Ok;
            }

            foreach (var (key, value, source) in rows)
            {
                Console.WriteLine($"{key,-22}{value ?? "-",-44} {source}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static IEnumerable<(string Key, string? Value, string Source)> Rows(BootParameters p)
    {
        string Source(string key) => p.Sources.TryGetValue(key, out var s) ? s.Origin : "default";
        string? Bool(bool b) => b ? "true" : "false";
        yield return (ParameterKeys.FetchRevision, p.FetchRevision, Source(ParameterKeys.FetchRevision));
        yield return (ParameterKeys.UpdateRevision, p.UpdateRevision?.Sha, Source(ParameterKeys.UpdateRevision));
        yield return (ParameterKeys.NoUpgrade, Bool(p.NoUpgrade), Source(ParameterKeys.NoUpgrade));
        yield return (ParameterKeys.Debug, Bool(p.Debug), Source(ParameterKeys.Debug));
        yield return (ParameterKeys.GitRevision, p.GitRevision?.Sha, Source(ParameterKeys.GitRevision));
        yield return (ParameterKeys.BootAppend, p.BootAppend, Source(ParameterKeys.BootAppend));
        yield return (ParameterKeys.KernelFlavour, p.KernelFlavour, Source(ParameterKeys.KernelFlavour));
        yield return (ParameterKeys.Remote, p.Remote, Source(ParameterKeys.Remote));
        yield return (ParameterKeys.SshAllowedSigners, p.SshAllowedSigners, Source(ParameterKeys.SshAllowedSigners));
        yield return (ParameterKeys.OpenPgpKeyring, p.OpenPgpKeyring, Source(ParameterKeys.OpenPgpKeyring));
        yield return (ParameterKeys.RequireSignature, Bool(p.RequireSignature), Source(ParameterKeys.RequireSignature));
        yield return (ParameterKeys.AllowUnsigned, Bool(p.AllowUnsigned), Source(ParameterKeys.AllowUnsigned));
        yield return (ParameterKeys.AllowDowngrade, Bool(p.AllowDowngrade), Source(ParameterKeys.AllowDowngrade));
        yield return (ParameterKeys.MaxFetchBytes, p.MaxFetchBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), Source(ParameterKeys.MaxFetchBytes));
        yield return (ParameterKeys.MaxObjectBytes, p.MaxObjectBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), Source(ParameterKeys.MaxObjectBytes));
        yield return (ParameterKeys.FetchRetries, p.FetchRetries.ToString(System.Globalization.CultureInfo.InvariantCulture), Source(ParameterKeys.FetchRetries));
        yield return (ParameterKeys.ConfigUrl, p.ConfigUrl?.ToString(), Source(ParameterKeys.ConfigUrl));
        yield return (ParameterKeys.ConfigCa, p.ConfigCa, Source(ParameterKeys.ConfigCa));
        yield return (ParameterKeys.DeviceToken, p.DeviceToken, Source(ParameterKeys.DeviceToken));
        yield return (ParameterKeys.ReportUrl, p.ReportUrl?.ToString(), Source(ParameterKeys.ReportUrl));
        yield return (ParameterKeys.MaxTrialBoots, p.MaxTrialBoots.ToString(System.Globalization.CultureInfo.InvariantCulture), Source(ParameterKeys.MaxTrialBoots));
    }
}
