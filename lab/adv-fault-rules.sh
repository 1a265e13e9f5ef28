#!/usr/bin/env bash
# Writes a QEMU blkdebug rules file that makes the two extlinux ADV sectors of IMAGE unwritable to
# the bootloader only: every write touching either sector fails with EIO (errno 5) while blkdebug
# is in state 1, and the first flush moves it to state 2, where nothing fails. The BIOS path
# (SeaBIOS int 13h, used by ldlinux) never flushes; Linux flushes on its first fsync/journal commit,
# before BootSafe's own ADV writes, so those succeed. blkdebug keeps its state in the QEMU process:
# each power-on must be a fresh QEMU process (-no-reboot) to start faulted again.
# With --every-writer the sectors stay unwritable for Linux too (a medium whose ADV sectors went bad).
# Prints the two absolute sector numbers (copy 0, copy 1). Reads the image; needs no loop device.
# The ADV is the last 1024 bytes of /boot/extlinux/ldlinux.sys.
# usage: adv-fault-rules.sh IMAGE RULES_FILE [--bootloader-only|--every-writer]
set -euo pipefail
img=${1:?usage: adv-fault-rules.sh IMAGE RULES_FILE [--bootloader-only|--every-writer]}
rules=${2:?rules file}
mode=${3:---bootloader-only}
case "$mode" in --bootloader-only|--every-writer) ;; *) echo "adv-fault-rules: unknown mode $mode" >&2; exit 2 ;; esac
file=/boot/extlinux/ldlinux.sys
start=$(partx -g -o START -n 1 "$img" | tr -d ' ')
fs="$img?offset=$((start * 512))"
block=$(dumpe2fs -h "$fs" 2>/dev/null | sed -n 's/^Block size: *//p')
size=$(debugfs -R "stat $file" "$fs" 2>/dev/null | sed -n 's/.*Size: \([0-9]*\)$/\1/p' | head -1)
[ -n "$block" ] && [ -n "$size" ] || { echo "adv-fault-rules: cannot read $file on $img" >&2; exit 1; }
sector_of() { # byte offset inside the file -> absolute 512-byte sector on the disk
  local physical
  physical=$(debugfs -R "bmap $file $(($1 / block))" "$fs" 2>/dev/null)
  [ "$physical" -gt 0 ] || { echo "adv-fault-rules: $file offset $1 is not mapped" >&2; exit 1; }
  echo $((start + physical * block / 512 + ($1 % block) / 512))
}
adv0=$(sector_of $((size - 1024)))
adv1=$(sector_of $((size - 512)))
{
  for s in "$adv0" "$adv1"; do
    printf '[inject-error]\nevent = "pwritev"\niotype = "write"\nsector = "%s"\nerrno = "5"\nonce = "off"\nstate = "1"\n\n' "$s"
  done
  if [ "$mode" = --bootloader-only ]; then
    printf '[set-state]\nevent = "flush_to_disk"\nstate = "1"\nnew_state = "2"\n\n'
    # blkdebug keeps the rules the last write event activated until another inject-error rule is
    # activated: this one (state 2, one sector past the end of the disk, never written) replaces them.
    printf '[inject-error]\nevent = "pwritev"\niotype = "write"\nsector = "%s"\nerrno = "5"\nonce = "off"\nstate = "2"\n' "$(($(stat -c %s "$img") / 512))"
  fi
} > "$rules"
echo "$adv0 $adv1"
