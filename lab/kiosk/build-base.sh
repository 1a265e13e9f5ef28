#!/usr/bin/env bash
# Builds the kiosk lab from the project's own files into WORK (idempotent per file):
#   WORK/initrd.img   initramfs made by mkinitramfs with dist/initramfs-tools (hook + boot script)
#   WORK/signing-key  the lab-only SSH ed25519 key every release commit is signed with (+ .pub)
#   WORK/upstream.git the vendor repository (make-upstream.sh), WORK/revisions its rN=<sha> lines
#   WORK/base-r1.img  MBR disk, one ext4 partition (no inline_data, label webc-bootsafe) with extlinux,
#                     live/filesystem.git holding r1, r1's kernel files, the state (Stable on r1), and
#                     live/bootsafe/config.yaml: remote file:///upstream/upstream.git (the upstream
#                     disk, make-upstream-disk.sh, that the kiosk mounts there), fetch-revision master,
#                     ssh-allowed-signers trusting the signing key
#   WORK/base-r2.img  the same with r2 as known-good (the r1 -> r2 history in its repository)
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
  # The cloud kernel builds in ext4 but not the IDE disk the VM boots from, nor virtio-blk (the
  # read-only medium: QEMU IDE cannot be read-only).
  WEBC_INITRAMFS_MODULES="ata_piix sd_mod virtio_pci virtio_blk" bash "$root/Specs/BootPath/build-initramfs.sh" \
    "$work/initramfs-build" "$aot" "$modules" "$version" "$root/dist/initramfs-tools" "$work/initrd.img.tmp"
  rm -rf "$work/initramfs-build"
  mv "$work/initrd.img.tmp" "$work/initrd.img"
fi
if [ ! -s "$work/revisions" ]; then
  bash "$here/make-upstream.sh" "$work/upstream.git" "$kernel" "$version" "$work/initrd.img" "$aot" "$work/signing-key" > "$work/revisions.tmp"
  mv "$work/revisions.tmp" "$work/revisions"
fi

base() { # NAME: a disk whose known-good is release NAME
  local name=$1 img="$work/base-$1.img" sha payload
  [ -s "$img" ] && return
  sha=$(sed -n "s/^$name=//p" "$work/revisions")
  payload="$work/payload"
  rm -rf "$payload"; mkdir -p "$payload/live/bootsafe"
  git init -q --bare "$payload/live/filesystem.git"
  git -C "$payload/live/filesystem.git" fetch -q --no-tags "file://$work/upstream.git" "+refs/tags/$name:refs/tags/$name"
  printf 'kiosk-lab@example.org namespaces="git" %s\n' "$(cat "$work/signing-key.pub")" > "$payload/live/bootsafe/allowed_signers"
  cat > "$payload/live/bootsafe/config.yaml" <<YAML
remote: file:///upstream/upstream.git
fetch-revision: master
ssh-allowed-signers: allowed_signers
max_trial_boots: 1
YAML
  bash "$root/lab/make-extlinux-disk.sh" "$img.tmp" 640 "$payload"
  rm -rf "$payload"
  bash "$here/medium.sh" "$img.tmp" "$cli" init --revision "$sha" --max-trial-boots 1
  bash "$here/medium.sh" "$img.tmp" "$cli" bootloader sync \
    --append "root=LABEL=webc-bootsafe boot=webc-bootsafe console=ttyS0,115200 panic=1 quiet" --serial "0 115200" --timeout 10
  mv "$img.tmp" "$img"
}
base r1
base r2
