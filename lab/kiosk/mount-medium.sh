# Sourced by medium.sh: attaches IMAGE's first partition on a loop device, mounts it
# on a fresh directory ($mnt), and always unmounts and detaches on exit.
# usage: source mount-medium.sh; mount_medium IMAGE
mount_medium() {
  local here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  mnt=$(mktemp -d)
  loop=""
  trap unmount_medium EXIT
  loop=$(bash "$here/../attach-disk.sh" "$1")
  mount "${loop}p1" "$mnt"
}

unmount_medium() {
  mountpoint -q "$mnt" && umount "$mnt" || true
  [ -n "$loop" ] && losetup -d "$loop" 2>/dev/null || true
  rmdir "$mnt" 2>/dev/null || true
}
