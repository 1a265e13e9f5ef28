using Webc.BootSafe.Mount.View;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>A node's stat as the kernel sees it, alone (getattr) or as a cached entry (lookup, readdirplus).</summary>
internal static unsafe class NodeAttributes
{
    public static void Fill(GitFsView view, Node node, Stat* stat)
    {
        var size = view.SizeOf(node);
        *stat = default;
        stat->Ino = node.Ino;
        stat->Mode = (uint)node.Mode;
        stat->NLink = (ulong)view.LinkCount(node);
        stat->Uid = node.Uid;
        stat->Gid = node.Gid;
        stat->RDev = node.RDev;
        stat->Size = size;
        stat->BlkSize = 4096;
        stat->Blocks = (size + 511) / 512;
        stat->ATimeSec = stat->MTimeSec = stat->CTimeSec = view.CommitTimeSeconds;
    }

    /// <summary>The node id is the inode number; name and attributes may be cached as long as the kernel likes.</summary>
    public static void Entry(GitFsView view, Node node, FuseEntryParam* entry)
    {
        entry->Ino = node.Ino;
        entry->Generation = 0;
        Fill(view, node, &entry->Attr);
        entry->AttrTimeout = FuseReply.CacheSeconds;
        entry->EntryTimeout = FuseReply.CacheSeconds;
    }
}
