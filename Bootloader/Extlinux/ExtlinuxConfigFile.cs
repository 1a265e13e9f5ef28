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

    /// <summary>What the boot code will see.</summary>
    public SyslinuxConfig Read() => SyslinuxConfigParser.Parse(ReadText());

    /// <summary>
    /// Rewrites BootSafe's block (keeping the operator's lines) so that after a power cut the file is
    /// either wholly old or wholly new.
    /// </summary>
    public void Write(BootEntries entries, BootEntryOptions options)
    {
        var text = ReadDocument().With(entries, options).Render();
        storage.CreateDirectory(layout.ExtlinuxDirectory);
        storage.ReplaceAtomically(Path, Encoding.UTF8.GetBytes(text));
    }
}
