namespace Webc.BootSafe.Updates.Confirm;

/// <summary>
/// One tree of health scripts: <c>required.d</c> checks (any failure fails the trial), <c>wanted.d</c>
/// checks (failures only warn), and the <c>green.d</c> / <c>red.d</c> hooks run after the verdict.
/// Two layouts are read: the project's own (<see cref="Project"/>, all four beside each other) and
/// greenboot's (<see cref="Greenboot"/>: the checks under <c>check/</c>), so that scripts written for
/// greenboot run unchanged.
/// </summary>
public sealed record HealthDirectory(string Root, string Required, string Wanted, string Green, string Red)
{
    public const string DefaultRoot = "/etc/webc/health.d";

    public const string DefaultGreenbootRoot = "/etc/greenboot";

    /// <summary>The project's layout: ROOT/required.d, wanted.d, green.d, red.d.</summary>
    public static HealthDirectory Project(string root) => new(
        root, Path.Combine(root, "required.d"), Path.Combine(root, "wanted.d"), Path.Combine(root, "green.d"), Path.Combine(root, "red.d"));

    /// <summary>greenboot's layout: ROOT/check/required.d, ROOT/check/wanted.d, ROOT/green.d, ROOT/red.d.</summary>
    public static HealthDirectory Greenboot(string root) => new(
        root, Path.Combine(root, "check", "required.d"), Path.Combine(root, "check", "wanted.d"), Path.Combine(root, "green.d"), Path.Combine(root, "red.d"));

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
