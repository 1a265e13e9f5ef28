using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.BootPath;

/// <summary>
/// The NativeAOT <c>webc-bootsafe</c> (out/aot, what <c>make publish</c> builds), published once
/// per test run when it is missing or older than any source, so the boot-path specs test the binary
/// the initramfs carries and not only the JIT build.
/// </summary>
public static class AotBinary
{
    private static readonly Lazy<string> Published = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Directory => System.IO.Path.Combine(RepoPaths.Root, "out", "aot");

    public static string Path => Published.Value;

    private static string Publish()
    {
        var binary = System.IO.Path.Combine(Directory, "webc-bootsafe");
        if (File.Exists(binary) && File.GetLastWriteTimeUtc(binary) >= NewestSource())
        {
            return binary;
        }

        var result = ProcessResult.Run(
            "dotnet",
            ["publish", System.IO.Path.Combine(RepoPaths.Root, "Cli", "Cli.csproj"), "-c", "Release", "-r", "linux-x64",
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
        string[] projects = ["StateMachine", "Medium", "Git", "Bootloader", "Mount", "Fetch", "Updates", "Provision", "Cli"];
        var files = projects
            .SelectMany(p => System.IO.Directory.EnumerateFiles(System.IO.Path.Combine(RepoPaths.Root, p), "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal))
            .Concat(System.IO.Directory.EnumerateFiles(RepoPaths.Root, "Directory.*.props"));
        return files.Max(File.GetLastWriteTimeUtc);
    }
}
