using Webc.BootSafe.Specs.BootPath;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Packaging;

/// <summary>
/// The .deb that <c>make deb</c> builds: dist/debian/build-deb run once per test run on the
/// NativeAOT build (published first when out/aot is missing or stale, as <c>make publish</c> would),
/// into a directory of its own so a developer's out/ is left alone.
/// </summary>
public static class DebPackage
{
    private static readonly Lazy<string> Built = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path => Built.Value;

    public static string Script => System.IO.Path.Combine(RepoPaths.Root, "dist", "debian", "build-deb");

    /// <summary>The package's Depends, first alternative of each, without versions.</summary>
    public static IReadOnlyList<string> Depends()
    {
        var result = ProcessResult.Run("dpkg-deb", ["-f", Path, "Depends"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split('|')[0].Trim().Split(' ')[0])
            .ToList();
    }

    private static string Build()
    {
        var aot = System.IO.Path.GetDirectoryName(AotBinary.Path)!;
        _ = AotBinary.SelectPath;
        var output = Directory.CreateTempSubdirectory("bootsafe-deb-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(output, recursive: true);
        var result = ProcessResult.Run("sh", [Script, aot, output], timeout: TimeSpan.FromMinutes(10));
        var deb = result.Stdout.Trim();
        if (result.ExitCode != 0 || !File.Exists(deb))
        {
            throw new InvalidOperationException("build-deb failed:\n" + result);
        }

        return deb;
    }
}
