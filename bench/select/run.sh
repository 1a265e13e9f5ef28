#!/usr/bin/env bash
# select on a real medium (a loop-mounted ext4 image with extlinux installed, a live/filesystem.git
# holding the revisions, state initialized, extlinux.conf written): webc-bootsafe-select (what the
# initramfs runs), `webc-bootsafe select` (NativeAOT) and the JIT build, alternating in one run.
# Reports separately (medians, wall clock):
#   start-up   `--version` (process start, runtime, exit)
#   stable     select of a Stable boot of known-good (followed, untimed, by `confirm`, as on a kiosk)
#   trial      select of the first boot of a freshly staged trial (staged and promoted untimed)
# and the fsyncs (fsync + fdatasync, counted with strace -f) of one select of each kind.
# Needs root, `make publish` (out/aot) and `make build` (Release).
# usage: bench/select/run.sh [RUNS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-40}
sel="$root/out/aot/webc-bootsafe-select"
aot="$root/out/aot/webc-bootsafe"
jit="$root/Cli/bin/Release/net10.0/webc-bootsafe"
for b in "$sel" "$aot" "$jit"; do
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

# The revisions are real commits in the medium's repository, as on a kiosk (the refs follow them).
repo="$mnt/live/filesystem.git"
git init -q --bare "$repo"
commit() { # message -> sha
  GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@localhost GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@localhost \
    git -C "$repo" commit-tree "$(git -C "$repo" mktree </dev/null)" -m "$1"
}
good=$(commit good)
printf 'kernel' > "$work/vmlinuz"
printf 'initrd' > "$work/initrd"
mkdir -p "$work/health/required.d"
"$aot" init --medium "$mnt" --revision "$good" >/dev/null
"$aot" bootloader sync --medium "$mnt" --kernel "$work/vmlinuz" --initrd "$work/initrd" \
  --append "boot=webc-bootsafe root=LABEL=WEBC" >/dev/null

cmdline() { # revision slot -> file
  echo "BOOT_IMAGE=/live/vmlinuz-$1 boot=webc-bootsafe root=LABEL=WEBC git-revision=$1 bootsafe.slot=$2" > "$work/cmdline"
}

# Bash's own clock (EPOCHREALTIME, microseconds): no process of its own around the timed one, so a
# figure is the binary's fork, exec, run and exit (the `harness` row, /bin/true, is that floor).
ms() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.3f\n", (e - s) * 1000 }'; }

version() { # binary -> ms
  local start end
  start=$EPOCHREALTIME
  "$1" --version >/dev/null
  end=$EPOCHREALTIME
  ms "$start" "$end"
}

harness() { # -> ms of /bin/true, timed as the binaries are
  local start end
  start=$EPOCHREALTIME
  /bin/true
  end=$EPOCHREALTIME
  ms "$start" "$end"
}

verb() { # binary -> the argv before select's options (webc-bootsafe-select is select alone)
  [ "$1" = "$sel" ] || echo select
}

select_once() { # binary expected-revision -> ms
  local start end
  local argv
  argv=$(verb "$1")
  start=$EPOCHREALTIME
  "$1" $argv --medium "$mnt" --cmdline "$work/cmdline" > "$work/out" 2>/dev/null
  end=$EPOCHREALTIME
  [ "$(cat "$work/out")" = "$2" ] || { echo "select printed $(cat "$work/out"), not $2" >&2; exit 1; }
  ms "$start" "$end"
}

known_good_up() { # what the confirm service does after a known-good boot (resets select's count)
  "$aot" confirm --medium "$mnt" --cmdline "$work/cmdline" --health-dir "$work/health" --no-reboot >/dev/null 2>&1
  rebooted
}

# A kiosk reboots between what the untimed steps model (confirm, stage, mark-good) and the next
# select, and the reboot writes back whatever they left dirty. Without this, select's one fsync
# (ext4 commits its journal as a whole) would be timed writing back stage's kernel and initrd.
rebooted() { sync -f "$mnt"; }

stable() { # binary -> ms
  cmdline "$good" good
  local t
  t=$(select_once "$1" "$good")
  known_good_up
  echo "$t"
}

n=0
trial() { # binary -> ms: stage a new revision, time its first boot, promote it (untimed)
  n=$((n + 1))
  local rev t
  rev=$(commit "trial $n")
  "$aot" stage "$rev" --no-verify --medium "$mnt" --kernel "$work/vmlinuz" --initrd "$work/initrd" >/dev/null 2>&1
  cmdline "$rev" trial
  rebooted
  t=$(select_once "$1" "$rev")
  "$aot" mark-good --medium "$mnt" >/dev/null
  rebooted
  good=$rev
  echo "$t"
}

fsyncs() { # binary kind -> fsync + fdatasync calls of one select of that kind
  local kind=$2 rev
  if [ "$kind" = trial ]; then
    # Called in $(...): n does not count up here, so the binary and the clock make the commit new.
    rev=$(commit "fsyncs trial $1 $(date +%s%N)")
    "$aot" stage "$rev" --no-verify --medium "$mnt" --kernel "$work/vmlinuz" --initrd "$work/initrd" >/dev/null 2>&1
    cmdline "$rev" trial
  else
    rev=$good
    cmdline "$good" good
  fi
  strace -f -qq -e trace=fsync,fdatasync -o "$work/strace" "$1" $(verb "$1") --medium "$mnt" --cmdline "$work/cmdline" >/dev/null 2>&1
  if [ "$kind" = trial ]; then "$aot" mark-good --medium "$mnt" >/dev/null; good=$rev; else known_good_up; fi
  grep -cE '^[0-9]+ +f(data)?sync\(' "$work/strace" || true
}

# Warm the page cache for every binary, then alternate.
for b in "$sel" "$aot" "$jit"; do version "$b" >/dev/null; stable "$b" >/dev/null; done
for k in sel aot jit; do for f in version stable trial; do : > "$work/$k.$f"; done; done
: > "$work/harness"
for _ in $(seq "$runs"); do
  harness >> "$work/harness"
  for kind in version stable trial; do
    "$kind" "$sel" >> "$work/sel.$kind"
    "$kind" "$aot" >> "$work/aot.$kind"
    "$kind" "$jit" >> "$work/jit.$kind"
  done
done

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
row() { # label kind
  local s a j
  s=$(median "$work/sel.$2")
  a=$(median "$work/aot.$2")
  j=$(median "$work/jit.$2")
  printf '  %-26s %8.1f ms %8.1f ms %8.1f ms %6.2f x   (-select min %.1f, max %.1f)\n' "$1" "$s" "$a" "$j" \
    "$(awk -v s="$s" -v a="$a" 'BEGIN { print a / s }')" "$(sort -n "$work/sel.$2" | head -1)" "$(sort -n "$work/sel.$2" | tail -1)"
}
echo "select on a loop-mounted ext4 medium, $runs runs each, alternating the three (medians, wall clock):"
printf '  %-26s %11s %11s %11s %8s\n' "" "-select" "AOT" "JIT" "AOT/-select"
printf '  %-26s %11s %11s %11s\n' "" "(initramfs)" "(select)" "(select)"
row "start-up (--version)" version
row "select, Stable known-good" stable
row "select, trial boot" trial
printf '  %-26s %8.1f ms   (the timing itself: fork, exec and exit of /bin/true)\n' "harness (/bin/true)" "$(median "$work/harness")"
echo "fsyncs of one select (strace -f: fsync + fdatasync):"
sel_stable_fsyncs=$(fsyncs "$sel" stable)
printf '  Stable known-good: webc-bootsafe-select %s, AOT %s, JIT %s\n' "$sel_stable_fsyncs" "$(fsyncs "$aot" stable)" "$(fsyncs "$jit" stable)"
printf '  trial boot:        webc-bootsafe-select %s, AOT %s, JIT %s\n' "$(fsyncs "$sel" trial)" "$(fsyncs "$aot" trial)" "$(fsyncs "$jit" trial)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
# Issue 17's goals (milliseconds and fsyncs of the initramfs's select), as RATIO lines for bench/run.sh.
echo "RATIO select stable_boot_ms_webc-bootsafe-select $(median "$work/sel.stable") <=10"
echo "RATIO select trial_boot_ms_webc-bootsafe-select $(median "$work/sel.trial") <=15"
echo "RATIO select fsyncs_stable_boot $sel_stable_fsyncs <=1"
