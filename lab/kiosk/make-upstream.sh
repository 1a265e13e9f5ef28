#!/usr/bin/env bash
# The vendor's repository the kiosk updates from, as a bare repository (the VM's `file://` remote):
#   r1, r2   good releases (master: r1 -> r2)
#   r3       on r2: its initrd has no /init, so its kernel panics (tag r3)
#   r4       on r2: boots, but its required health check fails (tag r4)
#   r5       on r2: kernel and initramfs fine, but its userspace reboots before any health check (tag r5)
#   r6       on r2: a good release whose initrd carries 32 MB of random bytes (an uncompressed cpio
#            member appended), so every phase of its fetch (transfer, verification, staging) lasts
#            seconds under TCG: the power-cut spec (S4) aims a cut at each phase (tag r6)
# Every revision carries Debian's cloud kernel as boot/vmlinuz-VER and an initrd in boot/.
# Every commit is SSH-signed (ed25519, namespace git) with SIGNING_KEY, a lab-only key made here when
# missing (SIGNING_KEY.pub beside it); the kiosk's config.yaml trusts it.
# Prints "rN=<sha>" lines.
# usage: make-upstream.sh UPSTREAM.git KERNEL KERNEL_VERSION INITRD AOT_DIR SIGNING_KEY
set -euo pipefail
up=$(realpath -m "${1:?usage: make-upstream.sh UPSTREAM.git KERNEL KERNEL_VERSION INITRD AOT_DIR SIGNING_KEY}")
kernel=$(realpath "$2") version=$3 initrd=$(realpath "$4") aot=$(realpath "$5") key=$(realpath -m "${6:?SIGNING_KEY}")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
src=$work/src
git init -q -b master "$src"
git -C "$src" config user.email kiosk-lab@example.org
git -C "$src" config user.name "BootSafe kiosk lab"
[ -s "$key" ] || ssh-keygen -q -t ed25519 -N '' -C kiosk-lab@example.org -f "$key"
git -C "$src" config gpg.format ssh
git -C "$src" config user.signingkey "$key"
git -C "$src" config commit.gpgsign true
bash "$here/../make-initrd.sh" "$work/panic.img" r3 --panic
commit() { # NAME INITRD [--health-fails]
  find "$src" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
  bash "$here/make-rootfs.sh" "$src" "$1" "$aot" ${3:-}
  mkdir -p "$src/boot"
  cp "$kernel" "$src/boot/vmlinuz-$version"
  cp "$2" "$src/boot/initrd.img-$version"
  git -C "$src" add -A
  git -C "$src" commit -q -S -m "kiosk release $1"
  git -C "$src" tag "$1"
  echo "$1=$(git -C "$src" rev-parse HEAD)"
}
commit r1 "$initrd"
commit r2 "$initrd"
commit r3 "$work/panic.img"
git -C "$src" reset -q --hard r2
commit r4 "$initrd" --health-fails
git -C "$src" reset -q --hard r2
commit r5 "$initrd" --crashes
git -C "$src" reset -q --hard r2
# The kernel unpacks concatenated initramfs archives; a cpio member must start 4-byte aligned.
cp "$initrd" "$work/heavy.img"
truncate -s $(( ($(stat -c %s "$work/heavy.img") + 3) / 4 * 4 )) "$work/heavy.img"
mkdir "$work/padding"
head -c 32M /dev/urandom > "$work/padding/padding.bin"
(cd "$work/padding" && echo padding.bin | cpio --quiet -o -H newc) >> "$work/heavy.img"
commit r6 "$work/heavy.img"
git -C "$src" reset -q --hard r2
rm -rf "$up"
git clone -q --bare "$src" "$up"
