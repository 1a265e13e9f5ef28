#!/usr/bin/env bash
# Fills DIR with a busybox kiosk root file system for one revision: its /sbin/init prints
#   KIOSK-UP slot=<label> rev=<git-revision> mounted=<the commit git-fs mounted> release=<NAME>
# runs `webc-bootsafe confirm` (the NativeAOT binary, carried by the revision with the libraries it
# links) against /etc/webc/health.d, prints KIOSK-STATE <status --json>, plays the fetch timer when
# the vendor's upstream disk is attached (make-upstream-disk.sh, the second IDE disk, label upstream):
# mounts it read-only on /upstream (config.yaml's file:// remote), prints KIOSK-FETCH-START, runs
# `webc-bootsafe fetch --stage`, prints KIOSK-FETCH exit=<rc> centiseconds=<its duration>; and
# powers off. Health failures reboot with `reboot -f` (confirm's reboot command). With --crashes,
# init prints KIOSK-CRASH <NAME> right after KIOSK-UP and reboots with `reboot -f`: userspace dies
# before any health check runs.
# usage: make-rootfs.sh DIR NAME AOT_DIR [--health-fails|--crashes]
set -euo pipefail
dir=$(realpath -m "${1:?usage: make-rootfs.sh DIR NAME AOT_DIR [--health-fails|--crashes]}")
name=${2:?name}
aot=$(realpath "${3:?AOT_DIR}")
health=${4:-}
busybox=$(command -v busybox)
mkdir -p "$dir"/{bin,sbin,etc/webc/health.d/required.d,usr/lib/webc-bootsafe,usr/bin}
# initramfs-tools' init moves /dev, /run, /proc and /sys onto these; git keeps no empty directories.
for d in dev run proc sys tmp lib/live/mount/medium; do mkdir -p "$dir/$d"; touch "$dir/$d/.keep"; done
cp "$busybox" "$dir/bin/busybox"
# confirm runs each health check under setsid (its own process group, killed on timeout).
for app in sh cat echo mount umount sync sleep reboot poweroff tr sed grep ls setsid kill env timeout mkdir findfs touch rm; do ln -sf busybox "$dir/bin/$app"; done
cp "$aot/webc-bootsafe" "$dir/usr/lib/webc-bootsafe/"
for lib in "$aot"/lib*.so "$aot"/lib*.so.*; do [ -e "$lib" ] && cp "$lib" "$dir/usr/lib/webc-bootsafe/"; done
ln -sf ../lib/webc-bootsafe/webc-bootsafe "$dir/usr/bin/webc-bootsafe"
# The C libraries the binary and its own libraries (libgit2: libdl, libpthread) link (the revision is
# a whole root: nothing comes from the initramfs).
for elf in "$aot/webc-bootsafe" "$aot"/lib*.so*; do if [ -e "$elf" ]; then ldd "$elf"; fi; done |
  awk '/=> \//{print $3} /^\t\/.*ld-linux/{print $1}' | sort -u | while read -r lib; do
  case "$lib" in "$aot"/*) continue ;; esac
  mkdir -p "$dir$(dirname "$lib")"; cp -L "$lib" "$dir$lib"
done
# .NET's crypto shim dlopens OpenSSL at start-up, and pack reads and fetch's pack limit
# (Git/ZlibInflater.cs) bind zlib by name: ldd sees neither.
for lib in /usr/lib/x86_64-linux-gnu/libssl.so.3 /usr/lib/x86_64-linux-gnu/libcrypto.so.3 /usr/lib/x86_64-linux-gnu/libz.so.1; do
  mkdir -p "$dir$(dirname "$lib")"; cp -L "$lib" "$dir$lib"
done
if [ -e /lib64/ld-linux-x86-64.so.2 ]; then mkdir -p "$dir/lib64"; cp -L /lib64/ld-linux-x86-64.so.2 "$dir/lib64/"; fi
echo "$name" > "$dir/etc/webc-release"
if [ "$health" = --health-fails ]; then
  printf '#!/bin/sh\necho "KIOSK-HEALTH %s: browser did not start"\nexit 1\n' "$name" > "$dir/etc/webc/health.d/required.d/10-browser"
else
  printf '#!/bin/sh\necho "KIOSK-HEALTH %s: browser up"\n' "$name" > "$dir/etc/webc/health.d/required.d/10-browser"
fi
chmod 755 "$dir/etc/webc/health.d/required.d/10-browser"
[ "$health" = --crashes ] && touch "$dir/etc/webc/crashes"
cat > "$dir/sbin/init" <<'INIT'
#!/bin/sh
export PATH=/bin:/sbin:/usr/bin
mount -t proc proc /proc 2>/dev/null
medium=/lib/live/mount/medium
arg() { for x in $(cat /proc/cmdline); do case "$x" in "$1"=*) echo "${x#*=}" ;; esac; done; }
mounted=$(cat /.git-fs-commit-id 2>/dev/null || echo none)
# The `debug` boot parameter shows the medium's repository read-only at /.git: none, ro or rw.
dotgit=none
if [ -f /.git/HEAD ]; then
  if touch /.git/kiosk-probe 2>/dev/null; then dotgit=rw; rm -f /.git/kiosk-probe; else dotgit=ro; fi
fi
echo "KIOSK-UP slot=$(arg bootsafe.slot) rev=$(arg git-revision) mounted=$mounted release=$(cat /etc/webc-release) dotgit=$dotgit"
if [ -e /etc/webc/crashes ]; then echo "KIOSK-CRASH $(cat /etc/webc-release)"; sync; reboot -f; sleep 30; fi
webc-bootsafe --medium "$medium" confirm --timeout 60 --reboot-command 'sync; echo KIOSK-REBOOT health; reboot -f'
echo "KIOSK-CONFIRM exit=$?"
echo "KIOSK-STATE $(webc-bootsafe --medium "$medium" --json status | tr -d '\n')"
sync
# By label: which IDE disk becomes sda and which sdb varies from boot to boot (asynchronous probing).
upstream=$(findfs LABEL=upstream 2>/dev/null)
if [ -n "$upstream" ]; then
  mkdir -p /upstream
  if mount -t ext4 -o ro "$upstream" /upstream; then
    centiseconds() { sed 's/ .*//; s/\.//; s/^0*//' /proc/uptime; }
    start=$(centiseconds)
    echo KIOSK-FETCH-START
    # Through a pipe: the serial console is a terminal, and fetch draws a progress bar on those. Each
    # line gets the guest's uptime, so the lab can tell how long staging took inside the VM.
    { HOME=/tmp webc-bootsafe --medium "$medium" fetch --stage 2>&1; echo $? > /tmp/fetch-exit; } |
      while IFS= read -r line; do echo "[$(sed 's/ .*//' /proc/uptime)] $line"; done
    rc=$(cat /tmp/fetch-exit)
    echo "KIOSK-FETCH exit=$rc centiseconds=$(( $(centiseconds) - start ))"
    sync
    umount /upstream
  else
    echo "KIOSK-FETCH exit=mount-failed"
  fi
fi
umount "$medium" 2>/dev/null
echo KIOSK-POWEROFF
poweroff -f
INIT
chmod 755 "$dir/sbin/init"
