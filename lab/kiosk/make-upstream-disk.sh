#!/usr/bin/env bash
# The vendor's repository as the kiosk's second disk: an ext4 image (no partition table, label
# upstream) holding upstream.git, a bare copy of UPSTREAM.git whose master points at RELEASE. The
# kiosk's init mounts it read-only on /upstream, which config.yaml names as the file:// remote: a
# fetch with no network, against whatever release the vendor has published for this boot.
# usage: make-upstream-disk.sh OUT.img UPSTREAM.git RELEASE
set -euo pipefail
out=$(realpath -m "${1:?usage: make-upstream-disk.sh OUT.img UPSTREAM.git RELEASE}")
upstream=$(realpath "${2:?UPSTREAM.git}")
release=${3:?RELEASE}
branch=${4:-master}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q --bare --no-local "$upstream" "$work/root/upstream.git"
git -C "$work/root/upstream.git" update-ref "refs/heads/$branch" "$(git -C "$upstream" rev-parse --verify "$release^{commit}")"
git -C "$work/root/upstream.git" symbolic-ref HEAD "refs/heads/$branch"
# Room for the objects plus ext4's own overhead (journal, inode tables).
size_kib=$(( $(du -sk "$work/root" | cut -f1) * 5 / 4 + 16384 ))
rm -f "$out"
mke2fs -q -F -t ext4 -L upstream -d "$work/root" -E root_owner=0:0 "$out" "${size_kib}k"
