using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.BootPath;

/// <summary>
/// The NativeAOT <c>webc-bootsafe</c> and <c>webc-bootsafe-select</c> (out/aot, what <c>make publish</c>
/// builds), published once per test run when missing or older than any source, so the boot-path specs
/// test the binaries the initramfs carries and not only the JIT build.
/// </summary>
public static class AotBinary
{
    private static readonly Lazy<string> Published = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Directory => System.IO.Path.Combine(RepoPaths.Root, "out", "aot");

    private static readonly Lazy<string> PublishedSelect = new(
        () => Publish(System.IO.Path.Combine("BootSelect", "BootSelect.csproj"), "webc-bootsafe-select"),
        LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path => Published.Value;

    /// <summary>webc-bootsafe-select: what the initramfs runs to select (Cli/Select).</summary>
    public static string SelectPath => PublishedSelect.Value;

    private static string Publish() => Publish(System.IO.Path.Combine("Cli", "Cli.csproj"), "webc-bootsafe");

    // One publish at a time: both build the same referenced projects into the same obj/ directories.
    private static readonly Lock Gate = new();

    private static string Publish(string project, string name)
    {
        using var _ = Gate.EnterScope();
        var binary = System.IO.Path.Combine(Directory, name);
        if (File.Exists(binary) && File.GetLastWriteTimeUtc(binary) >= NewestSource())
        {
            return binary;
        }

        var result = ProcessResult.Run(
            "dotnet",
            ["publish", System.IO.Path.Combine(RepoPaths.Root, project), "-c", "Release", "-r", "linux-x64",
             "-p:PublishAot=true", "-o", Directory],
            timeout: TimeSpan.FromMinutes(10));
        if (result.ExitCode != 0 || !File.Exists(binary))
        {
            throw new InvalidOperationException("AOT publish failed:\n" + result);
        }

        return binary;
    }

    private static DateTime NewestSource()
    {
        string[] projects = ["StateMachine", "Medium", "Git", "Bootloader", "Mount", "Fetch", "Updates", "Provision", "Cli", "BootSelect"];
        var files = projects
            .SelectMany(p => System.IO.Directory.EnumerateFiles(System.IO.Path.Combine(RepoPaths.Root, p), "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal))
            .Concat(System.IO.Directory.EnumerateFiles(RepoPaths.Root, "Directory.*.props"));
        return files.Max(File.GetLastWriteTimeUtc);
    }
}
