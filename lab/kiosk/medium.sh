#!/usr/bin/env bash
# Runs one command against the boot medium of a stopped kiosk's disk image: attaches and mounts its
# partition, runs `CLI --medium <mount> ARGS...` (CLI may also be `git`: then `git -C <repo> ARGS`),
# and always unmounts and detaches. This is how the host plays the kiosk's fetch timer between
# boots (the VM has no .NET runtime for the JIT-built fetch).
# usage: medium.sh IMAGE CLI ARGS...
set -euo pipefail
img=${1:?usage: medium.sh IMAGE CLI ARGS...}
cli=${2:?cli}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
mnt=$(mktemp -d)
loop=""
cleanup() {
  mountpoint -q "$mnt" && umount "$mnt" || true
  [ -n "$loop" ] && losetup -d "$loop" 2>/dev/null || true
  rmdir "$mnt" 2>/dev/null || true
}
trap cleanup EXIT
loop=$(bash "$here/../attach-disk.sh" "$img")
mount "${loop}p1" "$mnt"
if [ "$cli" = git ]; then
  git -C "$mnt/live/filesystem.git" "$@"
else
  "$cli" --medium "$mnt" "$@"
fi
