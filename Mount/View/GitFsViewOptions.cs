namespace Webc.BootSafe.Mount.View;

/// <summary>Memory bounds of the view.</summary>
public sealed record GitFsViewOptions
{
    /// <summary>Inflated small blobs kept across opens (the kernel's page cache does most of the work).</summary>
    public long ContentCacheBytes { get; init; } = 16L << 20;

    /// <summary>Blobs up to this size are read whole; larger ones stream through a window.</summary>
    public long SmallBlobBytes { get; init; } = 1L << 20;

    public bool ApplyMetadata { get; init; } = true;
}
