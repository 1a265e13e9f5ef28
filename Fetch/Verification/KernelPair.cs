using LibGit2Sharp;

namespace Webc.BootSafe.Fetch.Verification;

/// <summary>The kernel and initrd a candidate's tree holds: their paths in the tree and blob ids.</summary>
public sealed record KernelPair(string KernelPath, ObjectId Kernel, string InitrdPath, ObjectId Initrd);
