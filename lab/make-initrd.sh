#!/usr/bin/env bash
# Builds a busybox initramfs for QEMU boot specs. Its /init prints
#   BOOTED-<marker> cmdline=[<the kernel command line>]
# on the console, then powers off (or reboots with --reboot). With --panic there is no /init, so
# the kernel panics ("No working init found"; with panic=1 it reboots).
# usage: make-initrd.sh OUT.gz MARKER [--reboot|--panic]
set -euo pipefail
out=$(realpath -m "${1:?usage: make-initrd.sh OUT.gz MARKER [--reboot|--panic]}")
marker=${2:?marker}
mode=${3:-poweroff}
busybox=$(command -v busybox)
if ldd "$busybox" >/dev/null 2>&1; then echo "make-initrd: $busybox is not static (install busybox-static)" >&2; exit 2; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys}
cp "$busybox" "$work/bin/busybox"
mknod -m 600 "$work/dev/console" c 5 1
case "$mode" in
  --panic) ;;
  poweroff|--reboot)
    then=poweroff; [ "$mode" = --reboot ] && then=reboot
    cat > "$work/init" <<INIT
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox echo "BOOTED-$marker cmdline=[\$(/bin/busybox cat /proc/cmdline)]"
/bin/busybox $then -f
INIT
    chmod 755 "$work/init" ;;
  *) echo "make-initrd: unknown mode $mode" >&2; exit 2 ;;
esac
(cd "$work" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9) > "$out.tmp"
mv "$out.tmp" "$out"
