#!/usr/bin/env bash
# Breaks a stopped kiosk's boot medium the way a bad release or a bad disk would, for the initramfs
# failure specs (Specs/Kiosk/KioskInitramfsSpecs.cs). Only extlinux.conf's APPEND line of one label
# changes (and, for no-init, one commit is added): the label keeps its kernel and initramfs, so the
# project's initramfs script runs and meets the fault after the medium is found.
#   no-init LABEL        LABEL's git-revision becomes a child of its revision without /sbin/init
#   missing LABEL        LABEL's git-revision becomes a commit the repository does not have (git-fs fails)
#   append LABEL WORDS   WORDS are added to LABEL's kernel command line (e.g. debug)
# usage: break-medium.sh IMAGE MODE LABEL [WORDS...]
set -euo pipefail
img=${1:?usage: break-medium.sh IMAGE MODE LABEL [WORDS...]}
mode=${2:?mode}
label=${3:?label}
shift 3
source "$(cd "$(dirname "$0")" && pwd)/mount-medium.sh"
mount_medium "$img"
conf="$mnt/boot/extlinux/extlinux.conf"
repo="$mnt/live/filesystem.git"
line=$(grep -n "APPEND .*bootsafe\.slot=$label\( \|\$\)" "$conf" | cut -d: -f1)
[ -n "$line" ] || { echo "break-medium: no label $label in $conf" >&2; exit 1; }
old=$(sed -n "${line}s/.*git-revision=\([0-9a-f]*\).*/\1/p" "$conf")

set_revision() {
  sed -i "${line}s/git-revision=$old/git-revision=$1/" "$conf"
  echo "$label: git-revision $old -> $1"
}

case "$mode" in
no-init)
  git() { command git -C "$repo" -c user.name=lab -c user.email=lab@example.org "$@"; }
  sbin=$(git ls-tree "$old" sbin | cut -f1)
  newsbin=$(git ls-tree "$old:sbin" | grep -v "	init\$" | git mktree)
  newroot=$(git ls-tree "$old" | sed "s|^${sbin}	sbin\$|${sbin%% *} tree ${newsbin}	sbin|" | git mktree)
  commit=$(git commit-tree "$newroot" -p "$old" -m "lab: $old without /sbin/init")
  set_revision "$commit"
  ;;
missing)
  set_revision 0123456789abcdef0123456789abcdef01234567
  ;;
append)
  sed -i "${line}s/\$/ $*/" "$conf"
  echo "$label: appended $*"
  ;;
*)
  echo "break-medium: unknown mode $mode" >&2
  exit 2
  ;;
esac
sync
