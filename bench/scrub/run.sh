#!/usr/bin/env bash
# Scrub benchmark: `webc-bootsafe scrub` (NativeAOT) re-hashing a 20,000-file commit against
# `git fsck --full` of the same repository (holding only that commit, one pack), alternating in one
# run, page cache warm for both (medians of ROUNDS). Prints a `RATIO scrub ...` line for bench/run.sh.
# Usage: bash bench/scrub/run.sh [FILES=20000] [ROUNDS=3]   (after `make publish`)
set -euo pipefail
FILES=${1:-20000}
ROUNDS=${2:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$ROOT/out/aot/webc-bootsafe}
[ -x "$BIN" ] || { echo "missing $BIN: make publish" >&2; exit 2; }
W=$(mktemp -d /tmp/bootsafe-bench-scrub.XXXXXX)
trap 'rm -rf "$W"' EXIT
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.org GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.org GIT_CONFIG_NOSYSTEM=1
# No background auto-gc: it would repack (and delete loose objects) under the copies and timings.
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=gc.auto GIT_CONFIG_VALUE_0=0

git init -q -b master "$W/up"
( cd "$W/up"
  mkdir -p boot
  echo kernel > boot/vmlinuz-6.1.0-9-amd64; echo initrd > boot/initrd.img-6.1.0-9-amd64
  awk -v n="$FILES" 'BEGIN { srand(1); for (i = 0; i < n; i++) { d = sprintf("usr/share/d%03d", i % 200); if (!(d in made)) { system("mkdir -p " d); made[d] = 1 }
    f = sprintf("%s/f%05d", d, i); s = ""; for (j = 0; j < 20; j++) s = s sprintf("%08x%08x%08x ", int(rand()*2^31), i, j); print s > f; close(f) } }'
  git add -A && git commit -q -m v1 )
mkdir -p "$W/medium/live"
git clone -q --bare "$W/up" "$W/medium/live/filesystem.git"
REPO="$W/medium/live/filesystem.git"
git -C "$REPO" repack -adq   # one pack, as a fetched medium holds
"$BIN" init --medium "$W/medium" --revision "$(git -C "$REPO" rev-parse master)" >/dev/null
PACK=$(find "$REPO/objects/pack" -name '*.pack' -printf '%s\n' | awk '{ s += $1 } END { print s }')

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
ms git -C "$REPO" fsck --full >/dev/null; ms "$BIN" scrub --medium "$W/medium" >/dev/null   # warm the cache
: > "$W/git.ms"; : > "$W/ours.ms"
for _ in $(seq "$ROUNDS"); do
  ms git -C "$REPO" fsck --full --no-progress >> "$W/git.ms"
  ms "$BIN" scrub --medium "$W/medium" >> "$W/ours.ms"
done
"$BIN" scrub --medium "$W/medium" | head -3
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
g=$(median "$W/git.ms"); o=$(median "$W/ours.ms")
echo "one commit of $FILES files, one pack of $PACK bytes; medians of $ROUNDS alternating runs"
echo "  git fsck --full   $g ms   (all: $(tr '\n' ' ' < "$W/git.ms"))"
echo "  webc scrub (AOT)  $o ms   (all: $(tr '\n' ' ' < "$W/ours.ms"))"
awk -v o="$o" -v g="$g" 'BEGIN { printf "RATIO scrub time_vs_git_fsck_full %.2f <=1.2\n", o / g }'
