#!/usr/bin/env bash
# Builds a bootable BIOS disk image: MBR (syslinux mbr.bin), one bootable ext4 partition holding
# PAYLOAD_DIR's files at its root, and extlinux installed in /boot/extlinux. Loop device and mount
# are released on every exit path.
# usage: make-extlinux-disk.sh IMAGE SIZE_MB PAYLOAD_DIR
# ext4 without inline_data: syslinux 6.04 cannot boot from it (hangs after the banner).
set -euo pipefail
img=$(realpath -m "${1:?usage: make-extlinux-disk.sh IMAGE SIZE_MB PAYLOAD_DIR}")
size=${2:?size in MiB}
payload=$(realpath "${3:?payload dir}")
mbr=/usr/lib/syslinux/mbr/mbr.bin
mnt=$(mktemp -d)
loop=""
cleanup() {
  mountpoint -q "$mnt" && umount "$mnt" || true
  [ -n "$loop" ] && losetup -d "$loop" 2>/dev/null || true
  rmdir "$mnt" 2>/dev/null || true
}
trap cleanup EXIT

rm -f "$img"
truncate -s "${size}M" "$img"
printf 'label: dos\nstart=2048, type=83, bootable\n' | sfdisk -q "$img"
dd if="$mbr" of="$img" bs=440 count=1 conv=notrunc status=none
loop=$(bash "$(dirname "$0")/attach-disk.sh" "$img")
mkfs.ext4 -q -F -L webc-bootsafe -O ^inline_data "${loop}p1"
mount "${loop}p1" "$mnt"
cp -a "$payload"/. "$mnt"/
mkdir -p "$mnt/boot/extlinux"
extlinux --install "$mnt/boot/extlinux" 2>/dev/null
sync
