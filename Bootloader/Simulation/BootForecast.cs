using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Bootloader.Simulation;

/// <summary>
/// What the next boots will run if each of them fails before BootSafe runs (a kernel panic): the
/// simulator boots a scratch copy of the medium's extlinux directory (config and ADV) and of the
/// existence of every file a label names, so the real ADV is never consumed.
/// </summary>
public sealed class BootForecast(MediumLayout layout, IMediumStorage storage)
{
    public IReadOnlyList<BootChoice> NextBoots(int count)
    {
        var scratch = Scratch();
        var ldlinux = new Ldlinux(layout, scratch);
        return Enumerable.Range(0, count).Select(_ => ldlinux.Boot()).ToList();
    }

    private RecordingMediumStorage Scratch()
    {
        var scratch = new RecordingMediumStorage();
        scratch.CreateDirectory(layout.ExtlinuxDirectory);
        foreach (var name in storage.ListFiles(layout.ExtlinuxDirectory))
        {
            var path = Path.Combine(layout.ExtlinuxDirectory, name);
            scratch.WriteNew(path, storage.ReadAllBytes(path));
        }

        // Files the configuration INCLUDEs, wherever they are, so the scratch parses as the medium does.
        var real = new ExtlinuxConfigFile(layout, storage);
        foreach (var file in real.Read().Includes.Select(real.IncludePath).Distinct())
        {
            if (storage.FileExists(file) && !scratch.FileExists(file))
            {
                scratch.CreateDirectory(Path.GetDirectoryName(file)!);
                scratch.WriteNew(file, storage.ReadAllBytes(file));
            }
        }

        var config = new ExtlinuxConfigFile(layout, scratch).Read();
        foreach (var file in config.ReferencedFiles.Select(p => KernelPaths.OnMedium(layout.Root, p)).Distinct())
        {
            if (storage.FileExists(file) && !scratch.FileExists(file))
            {
                scratch.CreateDirectory(Path.GetDirectoryName(file)!);
                scratch.WriteNew(file, []);
            }
        }

        return scratch;
    }
}
