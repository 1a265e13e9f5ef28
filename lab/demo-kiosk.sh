#!/usr/bin/env bash
# `make demo` on real boots: a kiosk under QEMU (TCG) takes a confirmed update (S1) and comes back
# by itself from a trial whose kernel panics (S2). Each boot runs extlinux, Debian's cloud kernel,
# the initramfs built from dist/initramfs-tools (select + git-fs + overlay) and a busybox revision
# whose /sbin/init runs `webc-bootsafe confirm`. Between boots, with the VM stopped, the host plays
# the kiosk's fetch timer on the loop-mounted disk (git fetch from the vendor's file:// repository,
# then `webc-bootsafe stage`). Needs root (loop devices) and `make publish`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=${BOOTSAFE_CACHE:-$ROOT/.cache}
AOT=$ROOT/out/aot
CLI=$AOT/webc-bootsafe
[ -x "$CLI" ] || { echo "run 'make publish' first (out/aot/webc-bootsafe)" >&2; exit 2; }
bash lab/fetch-kernel.sh "$CACHE/kernel"
LAB=$CACHE/kiosk-demo
W=$(mktemp -d "${TMPDIR:-/var/tmp}/webc-kiosk-demo.XXXXXX")
trap 'rm -rf "$W"' EXIT
bold=; off=
if [ -t 1 ]; then bold=$(tput bold 2>/dev/null || true); off=$(tput sgr0 2>/dev/null || true); fi
say()  { printf '\n%s\n' "${bold}== $*${off}"; }
note() { printf '%s\n' "$*" | fold -s -w 100; }
rev()  { sed -n "s/^$1=//p" "$LAB/revisions"; }
name() { local r; for r in r1 r2 r3 r4; do [ "$(rev $r)" = "$1" ] && { echo "$r"; return; }; done; echo "${1:0:12}"; }
medium() { bash lab/kiosk/medium.sh "$IMG" "$@"; }
state() {
  medium "$CLI" --json status | python3 -c '
import json, sys
s = json.load(sys.stdin)
print(s["state"], s["known_good"], s.get("trial") or "-", " ".join(f["revision"] for f in s["failed"]) or "-")' |
  { read -r st good trial failed; note "   state: $st, known-good $(name "$good"), trial $( [ "$trial" = - ] && echo none || name "$trial"), failed: $( [ "$failed" = - ] && echo none || for f in $failed; do printf '%s ' "$(name "$f")"; done)"; }
}
boot() {
  local log=$W/console-$1.log start=$SECONDS
  timeout 900 qemu-system-x86_64 -machine pc,accel=tcg -m 512 -display none -monitor none \
    -serial "file:$log" -drive "file=$IMG,format=raw,if=ide" || true
  grep -a -E 'KIOSK-UP|KIOSK-HEALTH|KIOSK-REBOOT|Kernel panic - not syncing: No working init|webc-bootsafe: (select|git-fs)|select asked' "$log" |
    sed -e 's/\r//' | while read -r line; do
      case "$line" in
        *KIOSK-UP*) s=${line#*slot=}; s=${s%% *}; r=${line#*rev=}; r=${r%% *}
                    note "   [console] userspace of $(name "$r") is up (extlinux label '$s')" ;;
        *"No working init"*) note "   [console] kernel panic: the trial's initrd has no /init; panic=1 reboots" ;;
        *) note "   [console] ${line#*] }" ;;
      esac
    done
  note "   (boot took $((SECONDS - start)) s of wall time under TCG)"
}

say "Building the lab (once; cached in $LAB)"
note "Initramfs from dist/initramfs-tools, a vendor repository with four releases (r1, r2 good; r3 whose kernel panics; r4 whose health check fails), and an MBR/ext4/extlinux disk whose /live/filesystem.git holds r1."
bash lab/kiosk/build-base.sh "$LAB" "$AOT" "$CACHE/kernel/vmlinuz" "$CACHE/kernel/modules" >/dev/null
IMG=$W/kiosk.img
cp --sparse=always "$LAB/base-r1.img" "$IMG"
state

say "Boot 1: the kiosk runs its known-good release r1"
boot 1
state

say "The fetch timer: r2 is fetched from the vendor and staged as the trial"
note "(host-side, VM stopped: git fetch from file://upstream.git into live/filesystem.git, then 'webc-bootsafe stage'; stage writes r2's kernel files, the trial label, the state, then arms extlinux boot-once)"
medium git fetch -q --no-tags "file://$LAB/upstream.git" "+refs/tags/r2:refs/tags/r2"
medium "$CLI" stage "$(rev r2)"
state

say "Boot 2: extlinux boots the trial once; r2's health checks pass and confirm promotes it"
boot 2
state

say "Boot 3: a plain boot runs label good, which confirm moved to r2: one reboot from push to running"
boot 3
state

say "The fetch timer again: r3 is staged; its kernel will panic"
medium git fetch -q --no-tags "file://$LAB/upstream.git" "+refs/tags/r3:refs/tags/r3"
medium "$CLI" stage "$(rev r3)"
state

say "Boot 4: trial r3 panics; boot-once is spent, so the panic's reboot runs known-good r2, and select records r3 as failed"
boot 4
state

say "A later fetch does not stage r3 again"
medium "$CLI" stage "$(rev r3)" || note "   stage refused r3 (exit $?): it is in the failed set"
say "Done: a confirmed update in 1 reboot, and an automatic rollback in 1 extra boot (the panic's own reboot)."
