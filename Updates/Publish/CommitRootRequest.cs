namespace Webc.BootSafe.Updates.Publish;

/// <summary>
/// What to commit where: a root directory or tarball, the release repository, the branch (a short
/// name or a full ref), the signing key (a path to an SSH key, or an OpenPGP key id or fingerprint).
/// </summary>
public sealed record CommitRootRequest(string Source, string Repository, string Branch, string SigningKey, string Message = "Root filesystem");

/// <summary>The signed commit made, the ref moved, its parent (null for a new branch), how many entries it holds, and whether it carries metadata.</summary>
public sealed record CommitRootResult(string Commit, string Tree, string Ref, string? Parent, int Entries, bool HasMetadata);
