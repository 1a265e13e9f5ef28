using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Fetch.Params;

/// <summary>Reads the three sources of a medium (any may be missing) and resolves them.</summary>
public static class BootParameterReader
{
    public const string ProcCmdline = "/proc/cmdline";

    public static BootParameters Read(MediumLayout layout, string procCmdlinePath = ProcCmdline) =>
        BootParameterResolver.Resolve(new ParameterSources(
            BoundedTextFile.ReadIfPresent(procCmdlinePath, "kernel command line"),
            BoundedTextFile.ReadIfPresent(layout.DownloadedCmdline, "downloaded configuration"),
            BoundedTextFile.ReadIfPresent(layout.ConfigFile, "configuration"),
            procCmdlinePath,
            layout.DownloadedCmdline,
            layout.ConfigFile));
}
