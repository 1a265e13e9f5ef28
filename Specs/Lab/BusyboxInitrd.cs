namespace Webc.BootSafe.Specs.Lab;

/// <summary>What a lab initramfs does after printing its marker.</summary>
public enum InitrdEnd
{
    PowerOff,
    Reboot,

    /// <summary>No /init at all: the kernel panics, and with panic=1 reboots.</summary>
    Panic,
}

/// <summary>Busybox initramfs images (lab/make-initrd.sh) that print <c>BOOTED-&lt;marker&gt; cmdline=[...]</c> on the console.</summary>
public static class BusyboxInitrd
{
    public static string Build(string path, string marker, InitrdEnd end = InitrdEnd.PowerOff)
    {
        string[] mode = end switch
        {
            InitrdEnd.Reboot => ["--reboot"],
            InitrdEnd.Panic => ["--panic"],
            _ => [],
        };
        Run.LabScript("make-initrd.sh", [path, marker, .. mode]);
        return path;
    }
}
