using Webc.BootSafe.Specs.Fetch.Support;

namespace Webc.BootSafe.Specs.Install.Support;

/// <summary>
/// A busybox initramfs whose /init prints <c>BOOTED rev=&lt;git-revision from /proc/cmdline&gt;</c>
/// on the console and powers off: enough to see which label's revision the bootloader booted.
/// </summary>
public static class MarkerInitrd
{
    public const string Marker = "BOOTED rev=";

    public static void Build(string output)
    {
        var work = output + ".root";
        var script = $$"""
            set -euo pipefail
            busybox=$(command -v busybox)
            mkdir -p "{{work}}"/bin "{{work}}"/dev "{{work}}"/proc
            cp "$busybox" "{{work}}"/bin/busybox
            mknod -m 600 "{{work}}"/dev/console c 5 1
            cat > "{{work}}"/init <<'INIT'
            #!/bin/busybox sh
            /bin/busybox mount -t proc proc /proc
            rev=none
            for word in $(/bin/busybox cat /proc/cmdline); do
              case "$word" in git-revision=*) rev="${word#git-revision=}" ;; esac
            done
            /bin/busybox echo "{{Marker}}$rev"
            /bin/busybox poweroff -f
            INIT
            chmod 755 "{{work}}"/init
            (cd "{{work}}" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9) > "{{output}}"
            rm -rf "{{work}}"
            """;
        Proc.Run("bash", ["-c", script]);
    }
}
