#!/usr/bin/env bash
# Cuts the power in the middle of a command on a stopped kiosk's medium: mounts the disk, starts
# `CLI --medium <mount> ARGS...`, SIGKILLs it after DELAY seconds (if it still runs), then unmounts.
# What this models: the process dies at an arbitrary instruction. What it does not: the page cache
# of the host kernel is still flushed at umount, so unsynced data is not lost as in a real power cut.
# Prints "killed" or "finished <exit>".
# usage: power-cut.sh IMAGE DELAY CLI ARGS...
set -euo pipefail
img=${1:?usage: power-cut.sh IMAGE DELAY CLI ARGS...}
delay=${2:?delay}
cli=${3:?cli}
shift 3
source "$(cd "$(dirname "$0")" && pwd)/mount-medium.sh"
mount_medium "$img"
"$cli" --medium "$mnt" "$@" >/dev/null 2>&1 &
pid=$!
sleep "$delay"
if kill -9 "$pid" 2>/dev/null; then
  wait "$pid" 2>/dev/null || true
  echo killed
else
  rc=0; wait "$pid" || rc=$?
  echo "finished $rc"
fi
