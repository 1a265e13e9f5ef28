namespace Webc.BootSafe.Medium.Storage;

/// <summary>What `history --json` prints: the lines, and with --verify the verdict.</summary>
public sealed record HistoryReport(
    IReadOnlyList<HistoryEntry> Entries,
    bool? Verified,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> Notes);
