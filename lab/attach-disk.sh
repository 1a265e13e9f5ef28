#!/usr/bin/env bash
# Attaches a partitioned disk image to a free loop device and prints the device (its first
# partition is ${dev}p1). Some kernels (this lab's) lack MSDOS partition support for loop devices,
# so partitions are added with partx when losetup -P found none. Detach with: losetup -d DEV
# usage: attach-disk.sh IMAGE
set -euo pipefail
img=${1:?usage: attach-disk.sh IMAGE}
loop=$(losetup -f --show -P "$img")
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -b "${loop}p1" ] && break; sleep 0.1; done
if [ ! -b "${loop}p1" ]; then
  partx -a "$loop" || { losetup -d "$loop"; exit 1; }
  for _ in 1 2 3 4 5 6 7 8 9 10; do [ -b "${loop}p1" ] && break; sleep 0.1; done
fi
[ -b "${loop}p1" ] || { echo "attach-disk: no ${loop}p1" >&2; losetup -d "$loop"; exit 1; }
echo "$loop"
