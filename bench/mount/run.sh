#!/usr/bin/env bash
# git-fs against a plain checkout of the same commit on the same disk, side by side in one run.
# Usage: bench/mount/run.sh [WORKDIR]   (as root; WORKDIR defaults to /var/tmp/bootsafe-bench-mount)
# Env: BIN="path/to/webc-bootsafe" (default: out/aot/webc-bootsafe, else the JIT build via dotnet)
#      FILES=20000 LARGE_MB=500 KEEP=1 (keep the generated repository for another run)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="${1:-/var/tmp/bootsafe-bench-mount}"
FILES="${FILES:-20000}"
LARGE_MB="${LARGE_MB:-500}"
if [[ -z "${BIN:-}" ]]; then
  if [[ -x "$ROOT/out/aot/webc-bootsafe" ]]; then BIN="$ROOT/out/aot/webc-bootsafe"
  else BIN="dotnet $ROOT/Cli/bin/Release/net10.0/webc-bootsafe.dll"; fi
fi
REPO="$WORK/repo.git"; CHECKOUT="$WORK/checkout"; MNT="$WORK/mnt"
mkdir -p "$WORK"

if [[ ! -d "$REPO" ]]; then
  echo "generating $FILES files and one ${LARGE_MB} MB file in $WORK/src ..."
  rm -rf "$WORK/src"; mkdir -p "$WORK/src"
  python3 - "$WORK/src" "$FILES" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(7)
words = [("".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(2, 9)))) for _ in range(5000)]
for i in range(n):
    d = os.path.join(root, "d%03d" % (i // 100), "s%d" % (i % 7))
    os.makedirs(d, exist_ok=True)
    size = int(rnd.lognormvariate(8, 1.2))  # median ~3 KB, long tail
    text = []
    total = 0
    while total < size:
        w = rnd.choice(words); text.append(w); total += len(w) + 1
    with open(os.path.join(d, "f%05d.txt" % i), "w") as f:
        f.write(" ".join(text))
PY
  head -c "${LARGE_MB}M" /dev/urandom > "$WORK/src/large.bin"
  git -C "$WORK/src" init -q -b main
  git -C "$WORK/src" add -A
  git -C "$WORK/src" -c user.name=bench -c user.email=bench@example.org commit -q -m bench
  git clone -q --bare --no-local "$WORK/src" "$REPO"
  git -C "$REPO" -c core.bigFileThreshold=100m repack -q -a -d
  rm -rf "$WORK/src"
fi
REV="$(git -C "$REPO" rev-parse HEAD)"
[[ -d "$CHECKOUT" ]] || git clone -q "$REPO" "$CHECKOUT"
mkdir -p "$MNT"

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || echo "(cannot drop caches: cold figures are warm-ish)" >&2; }
now() { date +%s.%N; }
declare -A T HWM
measure() { # name dir command...
  local name="$1" dir="$2"; shift 2
  local t0 t1; t0=$(now); (cd "$dir" && eval "$@") > /dev/null; t1=$(now)
  T[$name]=$(echo "$t1 - $t0" | bc)
}

MOUNT_PID=""
mount_fs() {
  $BIN mount --foreground --repo "$REPO" --rev "$REV" "$MNT" 2>/dev/null &
  MOUNT_PID=$!
  for _ in $(seq 100); do grep -q " $MNT " /proc/self/mountinfo && return 0; sleep 0.1; done
  echo "mount did not appear" >&2; exit 1
}
umount_fs() { $BIN umount "$MNT" || umount -l "$MNT"; wait "$MOUNT_PID" 2>/dev/null || true; }
trap 'grep -q " $MNT " /proc/self/mountinfo && umount -l "$MNT"; true' EXIT

echo "start: $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
TAR='tar -cf - . | cat'
FIND='find . -ls'
DD='dd if=large.bin of=/dev/null bs=1M status=none'

for what in tar find dd; do
  case $what in tar) cmd=$TAR;; find) cmd=$FIND;; dd) cmd=$DD;; esac
  drop_caches; measure "checkout_${what}_cold" "$CHECKOUT" "$cmd"
  measure "checkout_${what}_warm" "$CHECKOUT" "$cmd"
  drop_caches; mount_fs
  measure "mount_${what}_cold" "$MNT" "$cmd"
  measure "mount_${what}_warm" "$MNT" "$cmd"
  HWM[$what]=$(awk '/VmHWM/ {print $2}' /proc/$MOUNT_PID/status)
  umount_fs
done

echo
echo "git-fs bench: $FILES files + ${LARGE_MB} MB file, commit $REV"
echo "binary: $BIN"
printf "%-12s %-5s %10s %10s %8s\n" operation cache checkout_s mount_s ratio
for what in tar find dd; do
  for c in cold warm; do
    a=${T[checkout_${what}_$c]}; b=${T[mount_${what}_$c]}
    printf "%-12s %-5s %10.3f %10.3f %8.2f\n" "$what" "$c" "$a" "$b" "$(echo "$b / $a" | bc -l)"
  done
done
echo "peak RSS of the mount process (VmHWM): tar ${HWM[tar]} kB, find ${HWM[find]} kB, dd ${HWM[dd]} kB"
# Issue 17's goals, as RATIO lines for bench/run.sh's table.
declare -A GOAL=([tar_cold]="<=1.2" [tar_warm]="<=1.1" [find_cold]="<=1.5" [find_warm]="<=1.2" [dd_cold]="<=1.2" [dd_warm]="<=1.1")
for what in tar find dd; do
  for c in cold warm; do
    printf "RATIO mount %s_%s_vs_checkout %.2f %s\n" "$what" "$c" "$(echo "${T[mount_${what}_$c]} / ${T[checkout_${what}_$c]}" | bc -l)" "${GOAL[${what}_$c]}"
  done
done
printf "RATIO mount peak_rss_tar_mb %.1f <=64\n" "$(echo "${HWM[tar]} / 1024" | bc -l)"
echo "end: $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
[[ -n "${KEEP:-}" ]] || echo "(keeping $WORK for re-runs; delete it when done)"
