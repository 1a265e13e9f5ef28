using System.Text;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Bootloader.Extlinux;

/// <summary>The medium's extlinux.conf, read and replaced atomically through the storage port.</summary>
public sealed class ExtlinuxConfigFile(MediumLayout layout, IMediumStorage storage)
{
    public string Path => layout.ExtlinuxConfig;

    public bool Exists => storage.FileExists(Path);

    public string ReadText() => Exists ? Encoding.UTF8.GetString(storage.ReadAllBytes(Path)) : string.Empty;

    public ExtlinuxConfigDocument ReadDocument() => ExtlinuxConfigDocument.Parse(ReadText());

    /// <summary>What the boot code will see, INCLUDEd files read in place as ldlinux reads them.</summary>
    public SyslinuxConfig Read() => SyslinuxConfigParser.Parse(ReadText(), Include);

    /// <summary>
    /// The file an INCLUDE names, seen from Linux: ldlinux opens a relative name in the directory of
    /// the configuration file and an absolute one from the root of the boot partition (the medium root).
    /// </summary>
    public string IncludePath(string name) =>
        name.StartsWith('/') ? KernelPaths.OnMedium(layout.Root, name) : System.IO.Path.Combine(layout.ExtlinuxDirectory, name);

    /// <summary>
    /// Rewrites BootSafe's block (keeping the operator's lines, neutralising those that would change
    /// what boots) so that after a power cut the file is either wholly old or wholly new.
    /// </summary>
    public void Write(BootEntries entries, BootEntryOptions options)
    {
        var text = ReadDocument().With(entries, options).Render();
        storage.CreateDirectory(layout.ExtlinuxDirectory);
        storage.ReplaceAtomically(Path, Encoding.UTF8.GetBytes(text));
    }

    private string? Include(string name)
    {
        var path = IncludePath(name);
        return storage.FileExists(path) ? Encoding.UTF8.GetString(storage.ReadAllBytes(path)) : null;
    }
}
