namespace Webc.BootSafe.Mount.Metadata;

/// <summary>A checked rule: which paths, and the owner, group, permission bits and file capability it sets (null: unchanged).</summary>
public sealed record MetadataRule(PathGlob Path, uint? Uid, uint? Gid, int? Permissions, int Line, byte[]? Capability = null);
