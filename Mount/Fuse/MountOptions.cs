namespace Webc.BootSafe.Mount.Fuse;

/// <summary>How to mount: allow_other for the kiosk's users, and any extra -o options for libfuse.</summary>
public sealed record MountOptions(bool AllowOther = false, IReadOnlyList<string>? Extra = null, string FsName = "git-fs");
