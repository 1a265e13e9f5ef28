#!/bin/bash
# Builds an initramfs with the real mkinitramfs from dist/initramfs-tools, against the cached
# kernel's modules, without installing anything on this machine: a private mount namespace lays
# the cached modules over /usr/lib/modules (where modprobe and mkinitramfs look) for the build only.
# usage: build-initramfs.sh WORKDIR AOT_DIR MODULES_DIR KERNEL_VERSION DIST_DIR OUTPUT
set -euo pipefail
work=$1 aot=$2 modules=$3 version=$4 dist=$5 output=$6

base="$work/base/lib/modules"
mkdir -p "$base" "$work/conf/hooks" "$work/conf/scripts" "$work/conf/conf.d"
cp -al "$modules/$version" "$base/" 2>/dev/null || cp -a "$modules/$version" "$base/"
depmod -b "$work/base" "$version"

cat > "$work/conf/initramfs.conf" <<CONF
MODULES=list
BUSYBOX=y
KEYMAP=n
COMPRESS=gzip
RUNSIZE=10%
FSTYPE=auto
CONF
# WEBC_INITRAMFS_MODULES: extra modules for MODULES=list (e.g. the disk driver a VM boots from).
printf '%s\n' ${WEBC_INITRAMFS_MODULES:-} > "$work/conf/modules"
# conf-hooks.d/ is read from /usr/share/initramfs-tools; conf.d/ in the conf dir is equivalent.
cp "$dist/conf-hooks.d/webc-bootsafe" "$work/conf/conf.d/webc-bootsafe"
cp "$dist/hooks/webc-bootsafe" "$work/conf/hooks/"
cp "$dist/scripts/webc-bootsafe" "$work/conf/scripts/"

# mkinitramfs checks /boot/config-VERSION for the compressor. The kernel cache keeps no config, so
# unless one sits beside the modules, state the one fact it checks (Debian kernels decompress gzip).
mkdir -p "$work/boot"
if [ -f "$modules/../config-$version" ]; then
  cp "$modules/../config-$version" "$work/boot/"
else
  echo "CONFIG_RD_GZIP=y" > "$work/boot/config-$version"
fi

export WEBC_BOOTSAFE_DIR="$aot" TMPDIR="$work"
unshare -m --propagation private /bin/sh -ec '
  mount -t overlay webc-modules -o "lowerdir=$1/base/lib:/usr/lib" /usr/lib
  mount --bind "$1/boot" /boot
  mkinitramfs -d "$1/conf" -o "$2" "$3"
' sh "$work" "$output" "$version"
