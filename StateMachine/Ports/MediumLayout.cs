namespace Webc.BootSafe.StateMachine.Ports;

/// <summary>Where things live on the boot medium (docs/architecture.md draws it).</summary>
public sealed record MediumLayout(string Root)
{
    /// <summary>
    /// The file system label of every boot medium: install formats with it, the default kernel
    /// command line finds the medium by it (<c>root=LABEL=webc-bootsafe</c>), the lab and the docs use it.
    /// One name, so a medium made by install boots with the defaults. (ext4 allows 16 bytes.)
    /// </summary>
    public const string FileSystemLabel = "webc-bootsafe";

    public string Live => Path.Combine(Root, "live");

    public string Repository => Path.Combine(Live, "filesystem.git");

    public string BootSafe => Path.Combine(Live, "bootsafe");

    public string StateFile => Path.Combine(BootSafe, "state.yaml");

    /// <summary>The generation before <see cref="StateFile"/>'s, loaded when the newest is unreadable.</summary>
    public string PreviousStateFile => Path.Combine(BootSafe, "state.yaml.prev");

    public string HistoryFile => Path.Combine(BootSafe, "history.log");

    public string LockFile => Path.Combine(BootSafe, "lock");

    public string ConfigFile => Path.Combine(BootSafe, "config.yaml");

    /// <summary>The downloaded configuration Webconverger caches; it wins over /proc/cmdline.</summary>
    public string DownloadedCmdline => Path.Combine(Live, "webc-cmdline");

    public string ExtlinuxDirectory => Path.Combine(Root, "boot", "extlinux");

    public string ExtlinuxConfig => Path.Combine(ExtlinuxDirectory, "extlinux.conf");

    /// <summary>Kernel file of a revision: <c>live/vmlinuz-&lt;sha&gt;</c>; extlinux names it <c>/live/vmlinuz-&lt;sha&gt;</c>.</summary>
    public string KernelFile(Slots.Revision revision) => Path.Combine(Live, "vmlinuz-" + revision.Sha);

    public string InitrdFile(Slots.Revision revision) => Path.Combine(Live, "initrd-" + revision.Sha);
}
