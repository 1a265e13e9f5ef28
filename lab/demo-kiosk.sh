#!/usr/bin/env bash
# `make demo` on real boots: a kiosk under QEMU (TCG) takes a confirmed update (S1) and comes back
# by itself from a trial whose kernel panics (S2). Each boot runs extlinux, Debian's cloud kernel,
# the initramfs built from dist/initramfs-tools (select + git-fs + overlay) and a busybox revision
# whose /sbin/init runs `webc-bootsafe confirm`. The kiosk plays its own fetch timer: when the
# vendor's repository is attached as a second disk (lab/kiosk/make-upstream-disk.sh: master at the
# release the vendor published), init mounts it on /upstream and runs `webc-bootsafe fetch --stage`
# from config.yaml's remote file:///upstream/upstream.git, verifying the lab key's SSH signature.
# The host only reads the state between boots. Needs root (loop devices) and `make publish`.
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
boot() { # NUMBER [RELEASE: attach the vendor's repository with master at RELEASE]
  local log=$W/console-$1.log start=$SECONDS upstream=()
  if [ -n "${2:-}" ]; then
    bash lab/kiosk/make-upstream-disk.sh "$W/upstream-$2.img" "$LAB/upstream.git" "$2" >/dev/null
    upstream=(-drive "file=$W/upstream-$2.img,format=raw,if=ide,index=1")
    note "   (the vendor's repository is attached as the second disk, master at $2)"
  fi
  timeout 900 qemu-system-x86_64 -machine pc,accel=tcg -m 512 -display none -monitor none \
    -serial "file:$log" -drive "file=$IMG,format=raw,if=ide" "${upstream[@]}" || true
  grep -a -E 'KIOSK-UP|KIOSK-HEALTH|KIOSK-REBOOT|KIOSK-FETCH|Kernel panic - not syncing: No working init|webc-bootsafe: (select|git-fs)|select asked| verified \(|refusing|transfer ' "$log" |
    sed -e 's/\r//' | while read -r line; do
      case "$line" in
        *KIOSK-UP*) s=${line#*slot=}; s=${s%% *}; r=${line#*rev=}; r=${r%% *}
                    note "   [console] userspace of $(name "$r") is up (extlinux label '$s')" ;;
        *KIOSK-FETCH-START*) note "   [console] the fetch timer: webc-bootsafe fetch --stage" ;;
        *"KIOSK-FETCH exit="*) e=${line#*exit=}; e=${e%% *}; c=${line#*centiseconds=}
                    note "   [console] fetch --stage exited $e after $((c / 100)).$(printf '%02d' $((c % 100))) s" ;;
        *"No working init"*) note "   [console] kernel panic: the trial's initrd has no /init; panic=1 reboots" ;;
        *) note "   [console] ${line#*] }" ;;
      esac
    done
  note "   (boot took $((SECONDS - start)) s of wall time under TCG)"
}

say "Building the lab (once; cached in $LAB)"
note "Initramfs from dist/initramfs-tools, a vendor repository with four releases signed with a lab-only SSH key (r1, r2 good; r3 whose kernel panics; r4 whose health check fails), and an MBR/ext4/extlinux disk whose /live/filesystem.git holds r1 and whose config.yaml trusts that key."
bash lab/kiosk/build-base.sh "$LAB" "$AOT" "$CACHE/kernel/vmlinuz" "$CACHE/kernel/modules" >/dev/null
IMG=$W/kiosk.img
cp --sparse=always "$LAB/base-r1.img" "$IMG"
state

say "Boot 1: the kiosk runs its known-good release r1; the vendor has published r2, so its fetch timer stages r2"
note "(inside the VM: fetch into a quarantine, verify the SSH signature, ancestry and every object, then stage: r2's kernel files, the trial label, the state, then extlinux boot-once)"
boot 1 r2
state

say "Boot 2: extlinux boots the trial once; r2's health checks pass and confirm promotes it"
boot 2
state

say "Boot 3: a plain boot runs label good, which confirm moved to r2: one reboot from push to running. The vendor now publishes r3 (its kernel will panic); the fetch timer stages it"
boot 3 r3
state

say "Boot 4: trial r3 panics; boot-once is spent, so the panic's reboot runs known-good r2, and select records r3 as failed"
boot 4
state

say "Boot 5: the vendor still publishes r3; the fetch timer refuses it (it is in the failed set) and stages nothing"
boot 5 r3
state
say "Done: a confirmed update in 1 reboot, and an automatic rollback in 1 extra boot (the panic's own reboot)."
