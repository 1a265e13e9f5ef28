namespace Webc.BootSafe.Mount.View;

public enum NodeKind
{
    /// <summary>A tree of the commit, or an empty directory the metadata file asks for.</summary>
    Directory,

    File,

    Symlink,

    /// <summary>A gitlink: shown as an empty directory, as `git archive` does.</summary>
    Submodule,

    /// <summary>A file the view makes up (the commit and tree ids in the root).</summary>
    Synthetic,

    /// <summary>A device node or FIFO the metadata file asks for (git cannot hold one).</summary>
    Device,
}
