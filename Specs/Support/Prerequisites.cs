using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Support;

/// <summary>
/// What a host or lab spec needs from the machine, and why it is missing. Outside CI a missing
/// prerequisite skips the spec with that reason; under CI=true it fails it, so CI cannot go green by skipping.
/// </summary>
public static class Prerequisites
{
    public static bool InCi { get; } = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool IsRoot { get; } = Libc.GetEuid() == 0;

    /// <summary>The first reason the spec cannot run here, or null when it can. Pure, so specs can check the rule.</summary>
    public static string? Missing(bool root, bool isRoot, IEnumerable<string> tools, Func<string, bool> toolExists, string? file = null, Func<string, bool>? fileExists = null)
    {
        if (root && !isRoot)
        {
            return "needs root (loop devices, mounts, FUSE)";
        }

        foreach (var tool in tools)
        {
            if (!toolExists(tool))
            {
                return $"needs {tool} on PATH (make deps)";
            }
        }

        if (file is not null && !(fileExists ?? File.Exists)(file))
        {
            return $"needs {file} (make deps)";
        }

        return null;
    }

    /// <summary>The same question for this machine.</summary>
    public static string? MissingHere(bool root, IEnumerable<string> tools, string? file = null) =>
        Missing(root, IsRoot, tools, OnPath, file);

    public static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin"])
            .Any(dir => File.Exists(Path.Combine(dir, tool)));
}
