#!/usr/bin/env bash
# A/B of two git-fs builds on cold and warm `find -ls`, the order of the two alternating each round.
# Usage: bench/mount/ab-find.sh BASE_BIN NEW_BIN [ROUNDS]   (root; after one bench/mount/run.sh with
# KEEP=1, whose repository and checkout it reuses). Prints, per round, the checkout's cold find and
# each build's cold and warm find (s) and the bytes its mount process read from disk.
set -euo pipefail
BASE="$1"; NEW="$2"; ROUNDS="${3:-6}"
WORK="${WORK:-/var/tmp/bootsafe-bench-mount}"; REPO="$WORK/repo.git"; CHECKOUT="$WORK/checkout"; MNT="$WORK/mnt"
REV="$(git -C "$REPO" rev-parse HEAD)"
drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }
timed() { local t0 t1; t0=$(date +%s.%N); (cd "$1" && find . -ls) > /dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
one() { # BIN: cold, warm, read_bytes
  drop; "$1" mount --foreground --repo "$REPO" --rev "$REV" "$MNT" 2> /dev/null & local pid=$!
  for _ in $(seq 100); do grep -q " $MNT " /proc/self/mountinfo && break; sleep 0.05; done
  local cold warm bytes; cold=$(timed "$MNT"); warm=$(timed "$MNT")
  bytes=$(awk '/read_bytes/ {print $2}' "/proc/$pid/io")
  "$1" umount "$MNT" || umount -l "$MNT"; wait "$pid" 2> /dev/null || true
  echo "$cold $warm $bytes"
}
trap 'grep -q " $MNT " /proc/self/mountinfo && umount -l "$MNT"; true' EXIT
echo "round checkout_cold | base cold warm read_bytes | new cold warm read_bytes   ($(cut -d' ' -f1-3 /proc/loadavg))"
for r in $(seq "$ROUNDS"); do
  drop; checkout=$(timed "$CHECKOUT")
  if (( r % 2 )); then b=$(one "$BASE"); n=$(one "$NEW"); else n=$(one "$NEW"); b=$(one "$BASE"); fi
  echo "$r $checkout | $b | $n"
done
