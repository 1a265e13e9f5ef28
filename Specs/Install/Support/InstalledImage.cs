using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Specs.Install.Support;

/// <summary>
/// An installed image opened for inspection the way an operator would: a read-only loop device,
/// partition 1 (added with partx when this kernel does not scan it), mounted read-only. Everything
/// is released on dispose, also after a failed assertion.
/// </summary>
public sealed class InstalledImage : IDisposable
{
    private readonly TempDirectory _mountPoint = new("bootsafe-inspect");
    private bool _mounted;

    public InstalledImage(string image)
    {
        Loop = Proc.Run("losetup", ["-f", "--show", "-P", "-r", image]);
        try
        {
            Partition = Loop + "p1";
            for (var i = 0; i < 10 && !File.Exists(Partition); i++)
            {
                Thread.Sleep(100);
            }

            if (!File.Exists(Partition))
            {
                Proc.Run("partx", ["-a", Loop]);
                for (var i = 0; i < 50 && !File.Exists(Partition); i++)
                {
                    Thread.Sleep(100);
                }
            }

            Proc.Run("mount", ["-o", "ro", "-t", "ext4", Partition, _mountPoint.Path]);
            _mounted = true;
            Layout = new MediumLayout(_mountPoint.Path);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Loop { get; }

    public string Partition { get; }

    public MediumLayout Layout { get; } = new("/nonexistent");

    public void Dispose()
    {
        if (_mounted)
        {
            Proc.Run("umount", [_mountPoint.Path]);
            _mounted = false;
        }

        try
        {
            Proc.Run("losetup", ["-d", Loop]);
        }
        catch (InvalidOperationException)
        {
        }

        _mountPoint.Dispose();
    }
}
