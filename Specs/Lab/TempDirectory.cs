namespace Webc.BootSafe.Specs.Lab;

/// <summary>A fresh directory under /tmp (unique: helpers and CI share the machine), removed on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "bootsafe")
    {
        Path = Directory.CreateTempSubdirectory(prefix + "-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A mount left behind by a failed cleanup keeps its mount point busy; the rest is gone.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
