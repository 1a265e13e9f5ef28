namespace Webc.BootSafe.Git;

/// <summary>Where a blob scrub checks is stored: its pack entry (no pack: loose or missing), and its place in scrub's list.</summary>
public readonly record struct PackedBlob(int Index, PackFile? Pack, long Offset, long Length);
