namespace Webc.BootSafe.Fetch.Params;

/// <summary>Where an effective parameter came from, lowest precedence first.</summary>
public enum ParameterSource
{
    Default,
    ConfigFile,
    ProcCmdline,
    DownloadedCmdline,
}
