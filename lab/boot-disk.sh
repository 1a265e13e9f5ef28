#!/usr/bin/env bash
# Boots a raw disk image the way the QEMU specs do (TCG: /dev/kvm on these machines is PVM, which
# syslinux cannot run on), serial console to LOG and to the terminal. Ends when the guest powers
# off or after TIMEOUT seconds.
# usage: boot-disk.sh IMAGE [LOG] [TIMEOUT]
set -euo pipefail
img=${1:?usage: boot-disk.sh IMAGE [LOG] [TIMEOUT]}
log=${2:-/dev/null}
limit=${3:-180}
timeout --foreground "$limit" qemu-system-x86_64 -machine pc,accel=tcg -m 512 -display none \
  -monitor none -serial stdio -drive "file=$img,format=raw,if=ide" </dev/null | tee "$log"
