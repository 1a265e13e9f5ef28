namespace Webc.BootSafe.Git;

/// <summary>The kernel and initrd a commit's tree holds: their paths in the tree and blob ids.</summary>
public sealed record KernelPair(string KernelPath, ObjectId Kernel, string InitrdPath, ObjectId Initrd);
