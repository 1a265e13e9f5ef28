#!/usr/bin/env bash
# Median wall time of `webc-bootsafe select` on a real medium (a loop-mounted ext4 image with
# extlinux installed, state initialized, extlinux.conf written), NativeAOT against the JIT build,
# alternating in one run. Each select is what a boot does: lock, load, fire BootObserved, commit
# (fsyncs), apply. Needs root, `make publish` (out/aot) and `make build` (Release).
# usage: bench/select/run.sh [RUNS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-40}
aot="$root/out/aot/webc-bootsafe"
jit="$root/Cli/bin/Release/net10.0/webc-bootsafe"
for b in "$aot" "$jit"; do
  [ -x "$b" ] || { echo "missing $b: run make publish and make build" >&2; exit 1; }
done

work=$(mktemp -d /tmp/bench-select-XXXXXX)
mnt="$work/mnt"
loop=""
cleanup() {
  mountpoint -q "$mnt" && umount "$mnt"
  [ -n "$loop" ] && losetup -d "$loop"
  rm -rf "$work"
}
trap cleanup EXIT

truncate -s 64M "$work/medium.img"
mkfs.ext4 -q -F -L WEBC "$work/medium.img"
loop=$(losetup -f --show "$work/medium.img")
mkdir -p "$mnt"
mount "$loop" "$mnt"
mkdir -p "$mnt/boot/extlinux" "$mnt/live"
extlinux --install "$mnt/boot/extlinux" >/dev/null 2>&1
good=$(printf 'a%.0s' $(seq 40))
printf 'kernel' > "$work/vmlinuz"
printf 'initrd' > "$work/initrd"
"$aot" init --medium "$mnt" --revision "$good" >/dev/null
"$aot" bootloader sync --medium "$mnt" --kernel "$work/vmlinuz" --initrd "$work/initrd" \
  --append "boot=webc-bootsafe root=LABEL=WEBC" >/dev/null
echo "BOOT_IMAGE=/live/vmlinuz-$good boot=webc-bootsafe root=LABEL=WEBC git-revision=$good bootsafe.slot=good" > "$work/cmdline"

once() {
  local start end
  start=$(date +%s%N)
  "$1" select --medium "$mnt" --cmdline "$work/cmdline" > "$work/out" 2>/dev/null
  end=$(date +%s%N)
  [ "$(cat "$work/out")" = "$good" ] || { echo "select printed $(cat "$work/out"), not $good" >&2; exit 1; }
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f\n", (e - s) / 1000000 }'
}

once "$aot" >/dev/null
once "$jit" >/dev/null
: > "$work/aot.ms"
: > "$work/jit.ms"
for _ in $(seq "$runs"); do
  once "$aot" >> "$work/aot.ms"
  once "$jit" >> "$work/jit.ms"
done

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
a=$(median "$work/aot.ms")
j=$(median "$work/jit.ms")
echo "select on a loop-mounted ext4 medium, $runs runs each, alternating (medians):"
printf '  NativeAOT  %8.1f ms   (min %.1f, max %.1f)\n' "$a" "$(sort -n "$work/aot.ms" | head -1)" "$(sort -n "$work/aot.ms" | tail -1)"
printf '  JIT        %8.1f ms   (min %.1f, max %.1f)\n' "$j" "$(sort -n "$work/jit.ms" | head -1)" "$(sort -n "$work/jit.ms" | tail -1)"
printf '  JIT / AOT  %8.1f x\n' "$(awk -v a="$a" -v j="$j" 'BEGIN { print j / a }')"
printf '  generations written: %s\n' "$("$aot" status --medium "$mnt" | awk '$1 == "generation:" { print $2 }')"
