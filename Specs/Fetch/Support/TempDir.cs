namespace Webc.BootSafe.Specs.Fetch.Support;

public sealed class TempDir : IDisposable
{
    public TempDir(string tag) =>
        Path = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"bootsafe-{tag}-{Guid.NewGuid():N}")).FullName;

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
