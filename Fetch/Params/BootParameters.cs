namespace Webc.BootSafe.Fetch.Params;

/// <summary>The effective parameters after precedence, typed, with where each came from.</summary>
public sealed record BootParameters
{
    public const string DefaultFetchRevision = "master";
    public const long DefaultMaxFetchBytes = 4L * 1024 * 1024 * 1024;
    public const int DefaultFetchRetries = 3;

    /// <summary>
    /// The largest object, delta result or zlib stream a fetch accepts (1 GiB): a kiosk root's
    /// largest files (a kernel, an initrd, a browser's libxul) are tens of MB, so this is generous,
    /// yet bounds what one object can make any reader hold in memory.
    /// </summary>
    public const long DefaultMaxObjectBytes = 1L << 30;

    /// <summary>Seconds one fetch (all attempts) may take: an hourly timer must not pile up behind a trickle.</summary>
    public const int DefaultFetchDeadlineSeconds = 1800;

    /// <summary>Seconds without a byte from the server before an attempt is given up (also the low-speed window).</summary>
    public const int DefaultFetchStallTimeoutSeconds = 60;

    /// <summary>Bytes per second, averaged over the stall window, below which a transfer is given up.</summary>
    public const long DefaultFetchLowSpeed = 1024;

    public string FetchRevision { get; init; } = DefaultFetchRevision;

    /// <summary>An exact commit to move to instead of the tip of <see cref="FetchRevision"/>.</summary>
    public StateMachine.Slots.Revision? UpdateRevision { get; init; }

    public bool NoUpgrade { get; init; }

    public bool Debug { get; init; }

    public StateMachine.Slots.Revision? GitRevision { get; init; }

    public string? BootAppend { get; init; }

    public string? KernelFlavour { get; init; }

    public string? Remote { get; init; }

    public string? SshAllowedSigners { get; init; }

    public string? OpenPgpKeyring { get; init; }

    public bool AllowUnsigned { get; init; }

    public bool AllowDowngrade { get; init; }

    public long MaxFetchBytes { get; init; } = DefaultMaxFetchBytes;

    public long MaxObjectBytes { get; init; } = DefaultMaxObjectBytes;

    public int FetchRetries { get; init; } = DefaultFetchRetries;

    public int FetchDeadlineSeconds { get; init; } = DefaultFetchDeadlineSeconds;

    public int FetchStallTimeoutSeconds { get; init; } = DefaultFetchStallTimeoutSeconds;

    public long FetchLowSpeed { get; init; } = DefaultFetchLowSpeed;

    public int MaxTrialBoots { get; init; } = StateMachine.Slots.SlotRecord.DefaultMaxTrialBoots;

    /// <summary>config-url: an absolute https:// URL, from config.yaml only.</summary>
    public Uri? ConfigUrl { get; init; }

    /// <summary>config-ca: a PEM file (absolute, or relative to config.yaml's directory).</summary>
    public string? ConfigCa { get; init; }

    /// <summary>device-token: a file holding the bearer token (absolute, or relative to config.yaml's directory).</summary>
    public string? DeviceToken { get; init; }

    /// <summary>report-url: an absolute http(s):// URL, from config.yaml only.</summary>
    public Uri? ReportUrl { get; init; }

    /// <summary>The setting that decided each key (absent: the default applies).</summary>
    public IReadOnlyDictionary<string, Setting> Sources { get; init; } = new Dictionary<string, Setting>();

    public bool RequireSignature => !AllowUnsigned;
}
