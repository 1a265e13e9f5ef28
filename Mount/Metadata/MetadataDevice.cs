namespace Webc.BootSafe.Mount.Metadata;

/// <summary>
/// A device node or FIFO the metadata file adds (version 2): git cannot hold one. Path in the view's
/// form (Latin-1 of the UTF-8 bytes); <see cref="TypeBits"/> is the st_mode type (S_IFCHR, S_IFBLK, S_IFIFO).
/// </summary>
public sealed record MetadataDevice(string Path, int TypeBits, uint Major, uint Minor)
{
    public const int CharType = 0x2000;
    public const int BlockType = 0x6000;
    public const int FifoType = 0x1000;

    /// <summary>The st_rdev encoding of glibc's makedev.</summary>
    public ulong RDev => ((ulong)(Major & 0xFFFFF000) << 32) | ((ulong)(Major & 0xFFF) << 8)
                         | ((ulong)(Minor & 0xFFFFFF00) << 12) | (Minor & 0xFF);

    /// <summary>The text form of the <c>device</c> field.</summary>
    public string Spec => TypeBits switch
    {
        CharType => $"char {Major} {Minor}",
        BlockType => $"block {Major} {Minor}",
        _ => "fifo",
    };
}
