namespace Webc.BootSafe.Specs.Support;

/// <summary>Where the specs find the checkout and the cache that `make deps` fills (kernel, modules).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>$BOOTSAFE_CACHE, else &lt;root&gt;/.cache; holds kernel/vmlinuz and kernel/modules.</summary>
    public static string Cache =>
        Environment.GetEnvironmentVariable("BOOTSAFE_CACHE") is { Length: > 0 } c ? c : Path.Combine(Root, ".cache");

    public static string Kernel => Path.Combine(Cache, "kernel", "vmlinuz");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Webc.BootSafe.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Webc.BootSafe.sln not found above " + AppContext.BaseDirectory);
    }
}
