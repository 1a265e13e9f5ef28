#!/usr/bin/env bash
# Turns the Debian kiosk chroot (webc-bootsafe already installed by the integration guide's commands)
# into the lab's release NAME for S6 (Specs/Kiosk/Debian): r1 is the plain kiosk, r2 the same with a
# new release name, r3 one whose required health check fails, r4 one that never reaches
# boot-complete.target. Cumulative and idempotent: each call sets up exactly one release.
# What every release has (lab only, not part of a real image):
#  - a user "kiosk" allowed to run /usr/bin/id through sudo (S6 checks sudo's setuid bit works);
#  - the vendor's update disk (label upstream) mounted read-only at /upstream: config.yaml's remote;
#  - s6-report.service: prints the boot to the console and starts the fetch unit once up;
#  - REBOOT_POLICY=immediate and a short TRIAL_BOOT_TIMEOUT in /etc/default/webc-bootsafe.
# usage: release.sh CHROOT NAME
set -euo pipefail
chroot=$(realpath "${1:?usage: release.sh CHROOT NAME}")
name=${2:?NAME}
here=$(cd "$(dirname "$0")" && pwd)

if ! chroot "$chroot" id kiosk >/dev/null 2>&1; then
	chroot "$chroot" useradd --create-home --shell /bin/sh kiosk
fi
install -m 0440 /dev/stdin "$chroot/etc/sudoers.d/kiosk" <<<'kiosk ALL=(root) NOPASSWD: /usr/bin/id'
# mmdebstrap copies the build machine's hostname; sudo warns when it cannot resolve its own.
echo kiosk > "$chroot/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 kiosk\n' > "$chroot/etc/hosts"
mkdir -p "$chroot/upstream"
printf 'LABEL=upstream /upstream ext4 ro,nofail 0 0\n' > "$chroot/etc/fstab"
install -m 0755 "$here/s6-report" "$chroot/usr/local/sbin/s6-report"
install -m 0644 "$here/s6-report.service" "$here/s6-never-complete.service" "$chroot/etc/systemd/system/"
chroot "$chroot" systemctl enable s6-report.service >/dev/null 2>&1
# The root is a fresh tmpfs overlay on every boot, so /etc/machine-id is never committed and every
# boot counts as the first: systemd-firstboot would wait on the console for a locale and a password.
chroot "$chroot" systemctl mask systemd-firstboot.service >/dev/null 2>&1
defaults="$chroot/etc/default/webc-bootsafe"
sed -i -e 's/^REBOOT_POLICY=.*/REBOOT_POLICY=immediate/' -e '/^TRIAL_BOOT_TIMEOUT=/d' "$defaults"
echo 'TRIAL_BOOT_TIMEOUT=300' >> "$defaults"
echo "$name" > "$chroot/etc/s6-release"

required="$chroot/etc/webc/health.d/required.d"
mkdir -p "$required"
rm -f "$required/50-s6-fails"
chroot "$chroot" systemctl disable s6-never-complete.service >/dev/null 2>&1 || true
case "$name" in
r1 | r2) ;;
r3)
	printf '#!/bin/sh\necho "S6 lab: r3 is broken on purpose" >&2\nexit 1\n' > "$required/50-s6-fails"
	chmod 0755 "$required/50-s6-fails"
	;;
r4)
	chroot "$chroot" systemctl enable s6-never-complete.service >/dev/null 2>&1
	;;
*)
	echo "release.sh: unknown release $name (r1..r4)" >&2
	exit 2
	;;
esac
