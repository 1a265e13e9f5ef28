namespace Webc.BootSafe.Fetch.Params;

/// <summary>
/// Every key BootSafe reads. The Webconverger keys may come from any source; the trust keys (where
/// updates come from, whom to trust, the limits) only from config.yaml on the medium, because the
/// downloaded webc-cmdline travels over the network and must not be able to switch verification off.
/// </summary>
public static class ParameterKeys
{
    public const string FetchRevision = "fetch-revision";
    public const string UpdateRevision = "update-revision";
    public const string NoUpgrade = "noupgrade";
    public const string Debug = "debug";
    public const string GitRevision = StateMachine.Slots.BootArguments.RevisionKey;
    public const string BootAppend = "boot_append";
    public const string KernelFlavour = "kernel-flavour";

    public const string Remote = "remote";
    public const string SshAllowedSigners = "ssh-allowed-signers";
    public const string OpenPgpKeyring = "openpgp-keyring";
    public const string RequireSignature = "require-signature";
    public const string AllowUnsigned = "allow-unsigned";
    public const string AllowDowngrade = "allow-downgrade";
    public const string MaxFetchBytes = "max-fetch-bytes";
    public const string MaxObjectBytes = "max-object-bytes";
    public const string FetchRetries = "fetch-retries";
    public const string FetchDeadline = "fetch-deadline";
    public const string FetchStallTimeout = "fetch-stall-timeout";
    public const string FetchLowSpeed = "fetch-low-speed";
    public const string MaxTrialBoots = "max_trial_boots";

    /// <summary>Where the kiosk's configuration (webc-cmdline) is downloaded from (HTTPS only).</summary>
    public const string ConfigUrl = "config-url";

    /// <summary>PEM file of the CA(s) trusted for config-url and report-url instead of the system's.</summary>
    public const string ConfigCa = "config-ca";

    /// <summary>File holding the device's bearer token (default: live/bootsafe/device-token if present).</summary>
    public const string DeviceToken = "device-token";

    /// <summary>Where transition reports are posted; when absent no report is queued.</summary>
    public const string ReportUrl = "report-url";

    public static IReadOnlyList<string> CommandLineKeys { get; } =
        [FetchRevision, UpdateRevision, NoUpgrade, Debug, GitRevision, BootAppend, KernelFlavour];

    public static IReadOnlyList<string> ConfigOnlyKeys { get; } =
        [Remote, SshAllowedSigners, OpenPgpKeyring, RequireSignature, AllowUnsigned, AllowDowngrade, MaxFetchBytes, MaxObjectBytes, FetchRetries, FetchDeadline, FetchStallTimeout, FetchLowSpeed, MaxTrialBoots, ConfigUrl, ConfigCa, DeviceToken, ReportUrl];

    public static IReadOnlyList<string> All { get; } = [.. CommandLineKeys, .. ConfigOnlyKeys];

    public static bool IsKnown(string key) => All.Contains(key);

    public static bool IsCommandLineKey(string key) => CommandLineKeys.Contains(key);
}
