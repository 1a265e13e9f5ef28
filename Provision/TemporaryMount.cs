using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Provision;

/// <summary>The new file system mounted on a fresh temporary directory; unmounted and removed on dispose.</summary>
public sealed class TemporaryMount : IDisposable
{
    private bool mounted;

    private TemporaryMount(string point) => Point = point;

    public string Point { get; }

    public static TemporaryMount Mount(string partition)
    {
        var mount = new TemporaryMount(Directory.CreateTempSubdirectory("webc-bootsafe-medium-").FullName);
        try
        {
            ExternalTool.Run("mount", ["-t", "ext4", partition, mount.Point]);
            mount.mounted = true;
            return mount;
        }
        catch
        {
            mount.Dispose();
            throw;
        }
    }

    /// <summary>Unmounts (which writes everything back), reporting a failure; retried briefly while busy.</summary>
    public void Unmount()
    {
        if (!mounted)
        {
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                ExternalTool.Run("umount", [Point]);
                mounted = false;
                Directory.Delete(Point);
                return;
            }
            catch (OperationFailedException) when (attempt < 5)
            {
                Thread.Sleep(200 * attempt);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Unmount();
        }
        catch (Exception e) when (e is OperationFailedException or IOException)
        {
            ExternalTool.TryRun("umount", ["--lazy", Point]);
        }
    }
}
