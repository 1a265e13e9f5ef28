namespace Webc.BootSafe.Mount.View;

/// <summary>Memory bounds of the view.</summary>
public sealed record GitFsViewOptions
{
    /// <summary>
    /// Small blobs last read, each in a buffer of <see cref="SmallBlobBytes"/> allocated once (the
    /// kernel's page cache does the real caching; these spare re-inflating a split read).
    /// </summary>
    public int SmallBlobSlots { get; init; } = 8;

    /// <summary>
    /// Blobs up to this size are read whole; larger ones stream through a pooled window. Kept below
    /// the large-object-heap threshold (85,000 bytes): large arrays are only reclaimed by full
    /// collections, and reading many mid-sized files whole then inflates the resident set.
    /// </summary>
    public long SmallBlobBytes { get; init; } = 64L << 10;

    /// <summary>
    /// Delta-compressed blobs above <see cref="SmallBlobBytes"/> have to be rebuilt whole; idle
    /// rebuilt copies are kept up to this many bytes (one copy per blob, shared by every reader).
    /// </summary>
    public long RebuiltBlobBudgetBytes { get; init; } = DefaultRebuiltBlobBudgetBytes;

    public const long DefaultRebuiltBlobBudgetBytes = 256L << 20;

    public bool ApplyMetadata { get; init; } = true;

    /// <summary>Show the repository the commit is read from, read-only, at /.git (mount --with-git).</summary>
    public bool WithGit { get; init; }
}
