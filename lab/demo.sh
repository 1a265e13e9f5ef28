#!/usr/bin/env bash
# `make demo`: a confirmed update and an automatic fallback, end to end, narrated.
# Runs as any user, in a temporary directory that plays the boot medium. The boots are SIMULATED:
# `bootloader simulate-boot` runs BootSafe's model of extlinux's ldlinux on the real extlinux.conf
# and ADV files (it consumes boot-once exactly as the real boot code does), then reports the boot to
# the slot machine as the initramfs will. Real boots under QEMU are in the specs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CLI_DIR=$ROOT/Cli/bin/Release/net10.0
if [ ! -x "$CLI_DIR/webc-bootsafe" ]; then
    dotnet build "$ROOT/Cli/Cli.csproj" -c Release >/dev/null
fi

W=$(mktemp -d "${TMPDIR:-/var/tmp}/webc-bootsafe-demo.XXXXXX")
trap 'rm -rf "$W"' EXIT
MEDIUM=$W/medium
export WEBC_BOOTSAFE_SIMULATED_MEDIUM=1   # a plain directory, not a mounted extlinux partition

bold=; dim=; off=
if [ -t 1 ]; then bold=$(tput bold 2>/dev/null || true); dim=$(tput dim 2>/dev/null || true); off=$(tput sgr0 2>/dev/null || true); fi
say()  { printf '\n%s\n' "${bold}== $*${off}"; }
note() { printf '%s\n' "$*" | fold -s -w 100; }
run()  { printf '%s\n' "${dim}\$ webc-bootsafe $*${off}"; "$CLI_DIR/webc-bootsafe" --medium "$MEDIUM" "$@"; }

say "Setting the scene"
note "A Webconverger kiosk keeps its whole root filesystem as a git repository on the boot medium."
note "We make a repository with three revisions; each carries its own kernel and initrd in boot/."
SRC=$W/source
git init -q "$SRC"
git -C "$SRC" config user.email demo@example.org; git -C "$SRC" config user.name "BootSafe demo"
for n in 1 2 3; do
    rm -rf "$SRC/boot"; mkdir -p "$SRC/boot" "$SRC/etc"
    printf 'demo kernel of revision %s\n' "$n" > "$SRC/boot/vmlinuz-6.1.0-$n-amd64"
    printf 'demo initrd of revision %s\n' "$n" > "$SRC/boot/initrd.img-6.1.0-$n-amd64"
    printf 'kiosk release %s\n' "$n" > "$SRC/etc/webc-release"
    git -C "$SRC" add -A; git -C "$SRC" commit -q -m "release $n"
    eval "REV$n=\$(git -C \"\$SRC\" rev-parse HEAD)"
done
mkdir -p "$MEDIUM/live" "$MEDIUM/boot/extlinux"
git clone -q --bare "$SRC" "$MEDIUM/live/filesystem.git"
note "revision 1 = $REV1 (what the kiosk runs today)"
note "revision 2 = $REV2 (a good update)"
note "revision 3 = $REV3 (an update whose kernel panics)"

# extlinux keeps its ADV (where boot-once lives) in the last 1024 bytes of ldlinux.sys. This demo
# does not install extlinux on a real partition, so it writes a stand-in ldlinux.sys: the real
# layout (patch area, checksum, two empty ADV copies) without boot code.
python3 - "$MEDIUM/boot/extlinux/ldlinux.sys" <<'PY'
import struct, sys
data_sectors = 8
size = (data_sectors + 2) * 512
b = bytearray(size)
patch = 64
struct.pack_into('<IIHHII', b, patch, 0x3eb202fe, 0, data_sectors, 2, data_sectors * 128, 0)
struct.pack_into('<H', b, patch + 26, 128)      # extended patch area offset
struct.pack_into('<H', b, 128, 160)             # where the two ADV sector numbers are
struct.pack_into('<QQ', b, 160, 4096, 4097)
total = sum(struct.unpack_from('<%dI' % (data_sectors * 128), b, 0)) & 0xffffffff
struct.pack_into('<I', b, patch + 16, (0x3eb202fe - total) & 0xffffffff)
for at in (size - 1024, size - 512):            # empty ADV: magic, checksum, no records, magic
    struct.pack_into('<II', b, at, 0x5a2d2fa5, 0xa3041767)
    struct.pack_into('<I', b, at + 508, 0xdd28bf64)
open(sys.argv[1], 'wb').write(b)
PY

say "1. The medium today: revision 1 is known-good"
run init --revision "$REV1"
note "This demo's revisions are unsigned: its config.yaml says so (a real kiosk names its trusted keys)."
printf 'allow-unsigned: true\n' > "$MEDIUM/live/bootsafe/config.yaml"
run bootloader sync
note "BootSafe put revision 1's kernel and initrd in live/ (named by commit) and wrote its 'good' label:"
sed 's/^/    /' "$MEDIUM/boot/extlinux/extlinux.conf"

say "2. Stage revision 2"
note "Order matters (docs/crash-safety.md): kernel files first, then the 'trial' label, then the state, then boot-once last."
run stage "$REV2"
note "If the next boots all failed, what would run? explain asks the ldlinux model, on the real files:"
run explain --boots 2
note "The first boot tries the trial once; whatever happens, the one after falls back to 'good'."

say "3. Reboot: revision 2 comes up and passes its health checks"
run bootloader simulate-boot --outcome healthy
note "Revision 2 is now known-good; revision 1 stays as the 'previous' label for a manual fallback."
run bootloader show

say "4. Stage revision 3, whose kernel panics"
run stage "$REV3"
run bootloader simulate-boot --outcome panic
note "ldlinux removed boot-once BEFORE loading the kernel, so the panic cannot repeat: the next boot runs DEFAULT."
run explain --boots 2

say "5. The machine reboots by itself (panic=N) and comes up on known-good"
run bootloader simulate-boot --outcome healthy
note "BootSafe sees known-good came up instead of the trial with no attempts left: revision 3 is rolled back and recorded as failed; its files are pruned."

say "6. Where we are"
run status
run explain --boots 2
run history
run bootloader show
say "Done: revision 2 was confirmed, revision 3 fell back to revision 2 without anyone touching the kiosk."
