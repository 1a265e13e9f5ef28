using Webc.BootSafe.Bootloader.Adv;

namespace Webc.BootSafe.Cli;

/// <summary>
/// The one entry: Program calls it with the process's argv, and specs call it in-process (generated
/// argv by the thousand, with the file-system probe a plain directory needs).
/// </summary>
public static class CliEntry
{
    public static int Run(string[] args, IFileSystemProbe? fileSystems = null)
    {
        var globals = new GlobalOptions(fileSystems);
        if (SelectOnBootPath.TryParse(args, out var medium, out var commandLine, out var json))
        {
            // The initramfs waits on this one: no command tree.
            return SelectOnBootPath.Start(medium, commandLine, json, globals.FileSystems);
        }

        var root = WebcCommandLine.Create(globals);

        // A usage error (unknown option, unparsable value) is bad input: exit 2, like our own refusals.
        // No response files: the initramfs starts git-fs as "@webc-bootsafe" (an argv[0] systemd spares at
        // shutdown), and NativeAOT's parser then tried to read "webc-bootsafe" as an @response file.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        JournalStream.Attach();
        JsonOutput.Enabled = parsed.GetValue(globals.Json);
        if (parsed.Errors.Count > 0 && JsonOutput.Enabled)
        {
            // With --json a usage error is JSON too (the parser would print its own text and the help).
            var message = string.Join("; ", parsed.Errors.Select(e => e.Message));
            Console.Error.WriteLine(JournalStream.Error($"webc-bootsafe: {message}"));
            JsonOutput.Error(message, ExitCodes.BadInput);
            return ExitCodes.BadInput;
        }

        var code = parsed.Invoke();
        return parsed.Errors.Count > 0 ? ExitCodes.BadInput : code;
    }
}
