using System.Reflection;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Updates.Boot;

namespace Webc.BootSafe.Cli;

/// <summary>
/// select as the initramfs runs it, without the command tree (building it costs more than the select
/// itself): the argv it takes, the run and the print. webc-bootsafe takes this path for
/// <c>select</c>, and webc-bootsafe-select (BootSelect/, a binary that links nothing else, so it starts
/// in half the time) is only this path.
/// </summary>
public static class SelectOnBootPath
{
    /// <summary>
    /// Only argv the tree parses to exactly these values is taken, namely <c>select</c> followed by
    /// <c>--medium V</c>, <c>--cmdline V</c> (each at most once, V non-empty and not starting with '-')
    /// and <c>--json</c> at most once. Anything else (help, errors, <c>--opt=V</c>, global options before
    /// the verb) returns false and goes through the tree, so parsing rules, errors and exit codes stay its.
    /// </summary>
    public static bool TryParse(string[] args, out string medium, out string commandLine, out bool json)
    {
        string? givenMedium = null, givenCommandLine = null;
        json = false;
        medium = MediumAccess.DefaultMedium;
        commandLine = BootParameterReader.ProcCmdline;
        if (args.Length == 0 || args[0] != "select")
        {
            return false;
        }

        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--json" when !json:
                    json = true;
                    break;
                case "--medium" when givenMedium is null && i + 1 < args.Length && PlainValue(args[i + 1]):
                    givenMedium = args[++i];
                    break;
                case "--cmdline" when givenCommandLine is null && i + 1 < args.Length && PlainValue(args[i + 1]):
                    givenCommandLine = args[++i];
                    break;
                default:
                    return false;
            }
        }

        medium = givenMedium ?? medium;
        commandLine = givenCommandLine ?? commandLine;
        return true;
    }

    /// <summary>webc-bootsafe-select's whole program: the argv of <c>webc-bootsafe select</c> without the verb.</summary>
    public static int RunBinary(string[] args)
    {
        switch (args)
        {
            case ["--version"]:
                Console.Out.WriteLine(typeof(SelectOnBootPath).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
                return ExitCodes.Ok;
            case ["--help" or "-h"]:
                Console.Out.WriteLine(Usage + "\nRecords this boot and prints the commit to mount; exit codes and the rest: webc-bootsafe select --help.");
                return ExitCodes.Ok;
        }

        if (!TryParse(["select", .. args], out var medium, out var commandLine, out var json))
        {
            JournalStream.Attach();
            JsonOutput.Enabled = args.Contains("--json");
            var message = $"webc-bootsafe-select: {string.Join(' ', args)}: not understood; {Usage}";
            Console.Error.WriteLine(JournalStream.Error(message));
            if (JsonOutput.Enabled)
            {
                JsonOutput.Error(message, ExitCodes.BadInput);
            }

            return ExitCodes.BadInput;
        }

        return Start(medium, commandLine, json, fileSystems: null);
    }

    private const string Usage = "usage: webc-bootsafe-select [--medium DIR] [--cmdline FILE] [--json]";

    /// <summary>Parsed argv, from here or webc-bootsafe's entry: the journal's stream, then <see cref="Run"/>.</summary>
    public static int Start(string medium, string commandLine, bool json, IFileSystemProbe? fileSystems)
    {
        JournalStream.Attach();
        JsonOutput.Enabled = json;
        return Run(medium, commandLine, json, fileSystems);
    }

    /// <summary>Parsed argv, from here or the tree: runs select, prints, maps errors to exit codes.</summary>
    public static int Run(string? medium, string commandLine, bool json, IFileSystemProbe? fileSystems) => CommandRunner.Run(() =>
    {
        var layout = MediumAccess.Layout(medium);
        var selection = new SelectBoot(() => MediumAccess.OpenForBoot(layout, fileSystems)).Select(commandLine, DateTimeOffset.UtcNow);
        Print(selection, json);
        return selection.RebootRequested ? ExitCodes.RebootRequested : ExitCodes.Ok;
    });

    private static bool PlainValue(string value) => value.Length > 0 && value[0] != '-';

    private static void Print(Selection selection, bool json)
    {
        foreach (var warning in selection.Warnings)
        {
            Console.Error.WriteLine($"webc-bootsafe: select: warning: {warning}");
        }

        Console.Error.WriteLine($"webc-bootsafe: select: {selection.Reason}");
        if (!json)
        {
            Console.Out.WriteLine(selection.Revision.Sha);
            return;
        }

        JsonOutput.Write(new JsonObject
        {
            ["revision"] = selection.Revision.Sha,
            ["reboot"] = selection.RebootRequested,
            ["reason"] = selection.Reason,
            ["warnings"] = JsonOutput.Strings(selection.Warnings),
        });
    }
}
