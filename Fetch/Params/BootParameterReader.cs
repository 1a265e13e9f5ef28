using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Fetch.Params;

/// <summary>Reads the three sources of a medium (any may be missing) and resolves them.</summary>
public static class BootParameterReader
{
    public const string ProcCmdline = "/proc/cmdline";

    public static BootParameters Read(MediumLayout layout, string procCmdlinePath = ProcCmdline) =>
        BootParameterResolver.Resolve(new ParameterSources(
            ReadIfPresent(procCmdlinePath),
            ReadIfPresent(layout.DownloadedCmdline),
            ReadIfPresent(layout.ConfigFile),
            procCmdlinePath,
            layout.DownloadedCmdline,
            layout.ConfigFile));

    private static string? ReadIfPresent(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}
