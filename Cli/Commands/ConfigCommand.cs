using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Updates.Fleet;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>`config`: download config.yaml's config-url into live/webc-cmdline now (what fetch does first).</summary>
public static class ConfigCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var cmdline = Options.Cmdline("Validate together with the kernel command line in FILE instead of /proc/cmdline");
        var command = new Command("config", "Download the kiosk's configuration from config.yaml's config-url (HTTPS, If-None-Match) and replace live/webc-cmdline atomically. Exit 0 when replaced or not modified; 1 when the download failed or was invalid (the last good copy is kept); 2 when config.yaml is invalid or names no config-url.")
        {
            cmdline,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var layout = globals.Layout(parse);
            var parameters = BootParameterReader.Read(layout, parse.GetValue(cmdline)!);
            var result = new ConfigDownload(layout, new PosixMediumStorage()) { ProcCmdlinePath = parse.GetValue(cmdline)! }.Run(parameters)
                ?? throw new BadInputException($"{layout.ConfigFile} names no config-url: there is nothing to download");
            if (result.Status == ConfigDownloadStatus.KeptLastGood)
            {
                throw new OperationFailedException(result.Message);
            }

            if (!parse.GetValue(globals.Json))
            {
                Console.WriteLine(result.Message);
                return ExitCodes.Ok;
            }

            JsonOutput.Write(new JsonObject
            {
                ["status"] = result.Status == ConfigDownloadStatus.Updated ? "updated" : "unchanged",
                ["message"] = result.Message,
                ["ignored_trust_keys"] = JsonOutput.Strings(result.IgnoredTrustKeys),
            });
            return ExitCodes.Ok;
        }));
        return command;
    }
}
