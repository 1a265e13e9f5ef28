namespace Webc.BootSafe.Specs.StateMachine;

/// <summary>A unique empty directory standing in for a boot medium; deleted on dispose.</summary>
public sealed class TempMedium : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("bootsafe-sm-").FullName;

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
