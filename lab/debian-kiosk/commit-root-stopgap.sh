#!/usr/bin/env bash
# STOPGAP until `webc-bootsafe commit-root` exists (issue 16, item 2): commits CHROOT to the bare
# REPO on BRANCH with `git add -A`, signed with the SSH key KEY. git loses owners, modes, setuid
# bits and empty directories, which the real command records in .bootsafe/metadata.yaml: S6's
# checks of /etc/shadow and sudo fail with this. Used by Specs/Kiosk/Debian only when the binary
# has no commit-root command.
# usage: commit-root-stopgap.sh CHROOT REPO BRANCH KEY
set -euo pipefail
chroot=$(realpath "$1") repo=$(realpath -m "$2") branch=$3 key=$(realpath "$4")
[ -d "$repo" ] || git init -q --bare -b "$branch" "$repo"
g() { git --git-dir="$repo" --work-tree="$chroot" -c user.name="S6 lab" -c user.email=release@example.org \
	-c gpg.format=ssh -c user.signingkey="$key" -c core.autocrlf=false "$@"; }
g symbolic-ref HEAD "refs/heads/$branch"
g add -A --force
g commit -q -S --allow-empty -m "release $(cat "$chroot/etc/s6-release" 2>/dev/null || date -u +%FT%TZ)"
