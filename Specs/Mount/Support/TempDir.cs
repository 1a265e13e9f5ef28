namespace Webc.BootSafe.Specs.Mount.Support;

/// <summary>A unique temporary directory removed on dispose (the machine is shared).</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("gitfs-spec-").FullName;

    public string Sub(string name)
    {
        var p = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(p);
        return p;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a mount that failed to go away keeps its directory; the finally that unmounts reports it
        }
    }
}
