namespace Webc.BootSafe.Updates.Confirm;

/// <summary>
/// The health.d tree: <c>required.d</c> checks (any failure fails the trial), <c>wanted.d</c> checks
/// (failures only warn), and the <c>green.d</c> / <c>red.d</c> hooks run after the verdict.
/// </summary>
public sealed record HealthDirectory(string Root)
{
    public const string DefaultRoot = "/etc/webc/health.d";

    public string Required => Path.Combine(Root, "required.d");

    public string Wanted => Path.Combine(Root, "wanted.d");

    public string Green => Path.Combine(Root, "green.d");

    public string Red => Path.Combine(Root, "red.d");

    /// <summary>
    /// Executable regular files of <paramref name="directory"/> in byte order of their names (the
    /// run-parts convention: <c>10-network</c> before <c>20-browser</c>), skipping hidden files and
    /// editor or package manager leftovers. A missing directory has no scripts.
    /// </summary>
    public static IReadOnlyList<string> Scripts(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(directory)
            .Where(path => IsScriptName(Path.GetFileName(path)) && IsExecutable(path))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Regular files that look like scripts but cannot run, so the operator learns why they were skipped.</summary>
    public static IReadOnlyList<string> NotExecutable(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory)
                .Where(path => IsScriptName(Path.GetFileName(path)) && !IsExecutable(path))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    private static bool IsScriptName(string name) =>
        !name.StartsWith('.')
        && !name.EndsWith('~')
        && !name.Contains(".dpkg-", StringComparison.Ordinal)
        && !name.EndsWith(".disabled", StringComparison.Ordinal);

    private static bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
