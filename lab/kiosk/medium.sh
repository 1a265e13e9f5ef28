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
source "$(cd "$(dirname "$0")" && pwd)/mount-medium.sh"
mount_medium "$img"
if [ "$cli" = git ]; then
  git -C "$mnt/live/filesystem.git" "$@"
else
  "$cli" --medium "$mnt" "$@"
fi
