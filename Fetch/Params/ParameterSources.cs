namespace Webc.BootSafe.Fetch.Params;

/// <summary>The raw texts parameters are read from; null when a source is absent.</summary>
public sealed record ParameterSources(
    string? ProcCmdline,
    string? DownloadedCmdline,
    string? ConfigYaml,
    string ProcCmdlinePath = "/proc/cmdline",
    string DownloadedCmdlinePath = "live/webc-cmdline",
    string ConfigPath = "live/bootsafe/config.yaml");
