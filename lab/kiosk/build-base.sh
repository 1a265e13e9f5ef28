#!/usr/bin/env bash
# Builds the kiosk lab from the project's own files into WORK (idempotent per file):
#   WORK/initrd.img   initramfs made by mkinitramfs with dist/initramfs-tools (hook + boot script)
#   WORK/upstream.git the vendor repository (make-upstream.sh), WORK/revisions its rN=<sha> lines
#   WORK/base-r1.img  MBR disk, one ext4 partition (no inline_data, label bootsafe) with extlinux,
#                     live/filesystem.git holding r1, r1's kernel files, and the state: Stable on r1
# usage: build-base.sh WORK AOT_DIR KERNEL MODULES_DIR
set -euo pipefail
work=$(realpath -m "${1:?usage: build-base.sh WORK AOT_DIR KERNEL MODULES_DIR}")
aot=$(realpath "$2") kernel=$(realpath "$3") modules=$(realpath "$4")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
version=$(ls "$modules" | head -1)
cli="$aot/webc-bootsafe"
mkdir -p "$work"
if [ ! -s "$work/initrd.img" ]; then
  rm -rf "$work/initramfs-build"
  # The cloud kernel builds in ext4 but not the IDE disk the VM boots from.
  WEBC_INITRAMFS_MODULES="ata_piix sd_mod" bash "$root/Specs/BootPath/build-initramfs.sh" \
    "$work/initramfs-build" "$aot" "$modules" "$version" "$root/dist/initramfs-tools" "$work/initrd.img.tmp"
  rm -rf "$work/initramfs-build"
  mv "$work/initrd.img.tmp" "$work/initrd.img"
fi
if [ ! -s "$work/revisions" ]; then
  bash "$here/make-upstream.sh" "$work/upstream.git" "$kernel" "$version" "$work/initrd.img" "$aot" > "$work/revisions.tmp"
  mv "$work/revisions.tmp" "$work/revisions"
fi
if [ ! -s "$work/base-r1.img" ]; then
  r1=$(sed -n 's/^r1=//p' "$work/revisions")
  payload="$work/payload"
  rm -rf "$payload"; mkdir -p "$payload/live"
  git init -q --bare "$payload/live/filesystem.git"
  git -C "$payload/live/filesystem.git" fetch -q --no-tags "file://$work/upstream.git" "+refs/tags/r1:refs/tags/r1"
  bash "$root/lab/make-extlinux-disk.sh" "$work/base-r1.img.tmp" 640 "$payload"
  rm -rf "$payload"
  bash "$here/medium.sh" "$work/base-r1.img.tmp" "$cli" init --revision "$r1" --max-trial-boots 1
  bash "$here/medium.sh" "$work/base-r1.img.tmp" "$cli" bootloader sync \
    --append "root=LABEL=bootsafe boot=webc-bootsafe console=ttyS0,115200 panic=1 quiet" --serial "0 115200" --timeout 10
  mv "$work/base-r1.img.tmp" "$work/base-r1.img"
fi
