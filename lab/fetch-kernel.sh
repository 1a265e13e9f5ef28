#!/usr/bin/env bash
# Unpacks Debian's cloud kernel into DIR/vmlinuz (with DIR/modules and DIR/config-VER) without installing it on the host: the QEMU specs
# boot it. Idempotent: does nothing once DIR/vmlinuz exists.
set -euo pipefail
dir=$(realpath -m "${1:?usage: fetch-kernel.sh DIR}")
[ -s "$dir/vmlinuz" ] && compgen -G "$dir/config-*" >/dev/null && exit 0
mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
if [ -z "$pkg" ]; then apt-get update -q >/dev/null; pkg=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}'); fi
apt-get download -q "$pkg" >/dev/null
dpkg -x ./*.deb root
rm -rf "$dir/modules"; cp -a root/lib/modules "$dir/modules"
# mkinitramfs reads the kernel config (compression support) beside the modules.
cp root/boot/config-* "$dir/"
cp root/boot/vmlinuz-* "$dir/vmlinuz.tmp"
mv "$dir/vmlinuz.tmp" "$dir/vmlinuz"
echo "kernel: $pkg -> $dir/vmlinuz"
