#!/usr/bin/env bash
# Runs one command against the boot medium of a stopped kiosk's disk image: attaches and mounts its
# partition, runs `CLI --medium <mount> ARGS...` (CLI may also be `git`: then `git -C <repo> ARGS`),
# and always unmounts and detaches. The lab uses it to build the base disks (init, bootloader sync) and
# to read a stopped kiosk's state between boots; the kiosk fetches and stages its updates itself,
# inside the VM (make-rootfs.sh's init, with the upstream disk of make-upstream-disk.sh attached).
# usage: medium.sh IMAGE CLI ARGS...
set -euo pipefail
img=${1:?usage: medium.sh IMAGE CLI ARGS...}
cli=${2:?cli}
shift 2
source "$(cd "$(dirname "$0")" && pwd)/mount-medium.sh"
mount_medium "$img"
if [ "$cli" = git ]; then
  git -C "$mnt/live/filesystem.git" "$@"
else
  "$cli" --medium "$mnt" "$@"
fi
