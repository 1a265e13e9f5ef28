namespace Webc.BootSafe.Specs.Support;

/// <summary>
/// The one temp-dir helper: a fresh directory under /tmp (unique: helpers and CI share the
/// machine), removed on dispose. A mount left behind by a failed cleanup keeps its mount point busy;
/// the rest is removed and the finally that unmounts reports the failure.
/// </summary>
public sealed class TempDirectory(string prefix = "bootsafe") : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix + "-").FullName;

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>A subdirectory, created.</summary>
    public string Sub(string name)
    {
        var path = Combine(name);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
