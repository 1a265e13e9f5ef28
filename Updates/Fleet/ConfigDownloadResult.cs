namespace Webc.BootSafe.Updates.Fleet;

/// <summary>Whether live/webc-cmdline was replaced, confirmed current, or kept because the download failed.</summary>
public enum ConfigDownloadStatus
{
    Updated,
    Unchanged,
    KeptLastGood,
}

/// <summary>What a download did, in one line for the operator.</summary>
public sealed record ConfigDownloadResult(ConfigDownloadStatus Status, string Message, IReadOnlyList<string> IgnoredTrustKeys);
