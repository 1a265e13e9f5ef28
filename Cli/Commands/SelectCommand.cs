using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Updates.Boot;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Cli.Commands;

/// <summary><c>select</c>: run by the initramfs to decide which commit becomes the root.</summary>
public static class SelectCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var cmdline = Options.Cmdline($"Kernel command line file to read {BootArguments.RevisionKey}= and {BootArguments.SlotKey}= from");
        var command = new Command(
            "select",
            $$"""
            For the initramfs: record this boot and print the commit id to mount as the root.

            Reads {{BootArguments.RevisionKey}}= and {{BootArguments.SlotKey}}= from the kernel command line, loads the slot state
            from the medium (which must be mounted read-write), fires BootObserved and has the
            bootloader carry out the result (re-arm boot-once, disarm a spent trial).

            Exit codes:
              0  mount the printed revision. Also when the state is missing or unreadable: the
                 command line's revision is printed and the reason goes to stderr (never strands a boot).
              1  no revision at all: no {{BootArguments.RevisionKey}}= on the command line and no readable state.
              3  reboot requested: the booted trial used up its boots (or a failed revision came up);
                 boot-once is disarmed, so `reboot -f` now comes up in known-good. Known-good's id
                 is printed, so a script that ignores the code still mounts something sane.
            """)
        {
            cmdline,
        };
        command.SetAction(parse => Run(globals, parse.GetValue(globals.Medium), parse.GetValue(cmdline)!, parse.GetValue(globals.Json)));
        return command;
    }

    /// <summary>
    /// The boot path's shortcut past the command tree (building it costs more than the select itself):
    /// only argv the tree parses to exactly these values is taken, namely <c>select</c> followed by
    /// <c>--medium V</c>, <c>--cmdline V</c> (each at most once, V non-empty and not starting with '-')
    /// and <c>--json</c> at most once. Anything else (help, errors, <c>--opt=V</c>, global options before
    /// the verb) returns false and goes through the tree, so parsing rules, errors and exit codes stay its.
    /// </summary>
    public static bool TryParseFast(string[] args, out string medium, out string commandLine, out bool json)
    {
        string? givenMedium = null, givenCommandLine = null;
        json = false;
        medium = GlobalOptions.DefaultMedium;
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

    /// <summary>select itself, after either parse.</summary>
    public static int Run(GlobalOptions globals, string? medium, string commandLine, bool json) => CommandRunner.Run(() =>
    {
        var selection = new SelectBoot(() => globals.Open(GlobalOptions.Layout(medium))).Select(commandLine, DateTimeOffset.UtcNow);
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
