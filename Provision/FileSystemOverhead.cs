namespace Webc.BootSafe.Provision;

/// <summary>
/// What ext4 itself takes of a partition, as mkfs.ext4 -T default makes it (4 KiB blocks, one
/// 256-byte inode per 16 KiB, no reserved blocks with -m 0): the journal (e2fsprogs'
/// default_journal_size table), the inode tables, and a floor for superblocks, group descriptors
/// and bitmaps. An estimate that errs high; the copy step reports the real shortage if it is wrong.
/// </summary>
public static class FileSystemOverhead
{
    public const long BlockSize = 4096;

    public static long Bytes(long partitionBytes)
    {
        var blocks = partitionBytes / BlockSize;
        long journalBlocks = blocks switch
        {
            < 32768 => 1024,
            < 256 * 1024 => 4096,
            < 512 * 1024 => 8192,
            < 4096 * 1024 => 16384,
            < 8192 * 1024 => 32768,
            < 16384 * 1024 => 65536,
            < 32768 * 1024 => 131072,
            _ => 262144,
        };
        var inodeTables = partitionBytes / 64;
        var metadata = 4 * ByteSize.MiB + partitionBytes / 256;
        return journalBlocks * BlockSize + inodeTables + metadata;
    }
}
