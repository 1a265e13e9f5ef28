#!/usr/bin/env bash
# Fetch benchmark: an update touching ~1% of a 20,000-file repository, our `webc-bootsafe fetch`
# side by side with `git fetch` of the same update from the same `git daemon` on 127.0.0.1, in one
# run; then a second update to show only the delta travels. Prints bytes and wall time as ratios.
# Usage: bash bench/fetch/run.sh [FILES] [CHANGED]   (after `make build`)
set -euo pipefail
FILES=${1:-20000}
CHANGED=${2:-200}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN="$ROOT/Cli/bin/${CONFIG:-Release}/net10.0/webc-bootsafe"
[ -x "$BIN" ] || { echo "build first: make build" >&2; exit 2; }
W=$(mktemp -d /tmp/bootsafe-bench-fetch.XXXXXX)
DAEMON=""
cleanup() { [ -n "$DAEMON" ] && kill "$DAEMON" 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.org GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.org GIT_CONFIG_NOSYSTEM=1

ssh-keygen -q -t ed25519 -N "" -C bench -f "$W/key"
echo "bench@example.org $(cat "$W/key.pub")" > "$W/allowed_signers"
SIGN=(-c gpg.format=ssh -c user.signingkey="$W/key" -c commit.gpgsign=true)

git init -q -b master "$W/srv/up"
cd "$W/srv/up"
mkdir -p boot
echo kernel > boot/vmlinuz-6.1.0-9-amd64; echo initrd > boot/initrd.img-6.1.0-9-amd64
# 20,000 files of ~600 distinct bytes each in 200 directories.
awk -v n="$FILES" 'BEGIN { srand(1); for (i = 0; i < n; i++) { d = sprintf("usr/share/d%03d", i % 200); if (!(d in made)) { system("mkdir -p " d); made[d] = 1 }
  f = sprintf("%s/f%05d", d, i); s = ""; for (j = 0; j < 20; j++) s = s sprintf("%08x%08x%08x ", int(rand()*2^31), i, j); print s > f; close(f) } }'
git add -A && git "${SIGN[@]}" commit -q -m v1
update() { # $1: label; change $CHANGED files spread over the tree
  awk -v n="$FILES" -v c="$CHANGED" -v tag="$1" 'BEGIN { step = int(n / c); for (k = 0; k < c; k++) { i = k * step + (tag == "v3"); f = sprintf("usr/share/d%03d/f%05d", i % 200, i); print "changed in " tag " " rand() >> f; close(f) } }'
  git add -A && git "${SIGN[@]}" commit -q -m "$1"
}
V1=$(git rev-parse HEAD)

while :; do PORT=$((20000 + RANDOM % 20000)); (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null || break; done
git daemon --export-all --base-path="$W/srv" --port="$PORT" --listen=127.0.0.1 --reuseaddr "$W/srv" 2>"$W/daemon.log" &
DAEMON=$!
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
URL="git://127.0.0.1:$PORT/up"

# Both sides start from the same full clone of v1.
mkdir -p "$W/medium/live/bootsafe"
git clone -q --bare "$URL" "$W/medium/live/filesystem.git"
git clone -q --bare "$URL" "$W/peer.git"
"$BIN" init --medium "$W/medium" --revision "$V1" >/dev/null
printf 'remote: %s\nssh-allowed-signers: %s\nkernel-flavour: amd64\n' "$URL" "$W/allowed_signers" > "$W/medium/live/bootsafe/config.yaml"
: > "$W/cmdline"

packbytes() { find "$1/objects" -name '*.pack' -newer "$W/mark" -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
now() { date +%s.%N; }

round() { # $1: label
  touch "$W/mark"; sleep 1
  t0=$(now); git -C "$W/peer.git" -c fetch.unpackLimit=1 fetch -q "$URL" "+master:refs/heads/master"; t1=$(now)
  git -C "$W/peer.git" fsck --no-dangling --no-progress 2>/dev/null; t2=$(now)
  out=$("$BIN" fetch --medium "$W/medium" --cmdline "$W/cmdline" 2>/dev/null); t3=$(now)
  ours_rx=$(echo "$out" | sed -n 's/^received \([0-9]*\) objects, \([0-9]*\) bytes$/\2/p')
  ours_obj=$(echo "$out" | sed -n 's/^received \([0-9]*\) objects.*/\1/p')
  ours_tx=$(echo "$out" | sed -n 's/^transfer \([0-9.]*\) s, verification \([0-9.]*\) s$/\1/p')
  ours_ver=$(echo "$out" | sed -n 's/^transfer \([0-9.]*\) s, verification \([0-9.]*\) s$/\2/p')
  peer_pack=$(packbytes "$W/peer.git"); ours_pack=$(packbytes "$W/medium/live/filesystem.git")
  awk -v l="$1" -v orx="$ours_rx" -v oo="$ours_obj" -v op="$ours_pack" -v pp="$peer_pack" \
      -v gf="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" -v gk="$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')" -v us="$(awk -v a="$t2" -v b="$t3" 'BEGIN { print b - a }')" -v tx="$ours_tx" -v ver="$ours_ver" 'BEGIN {
    printf "%s: ours received %d objects, %d bytes (pack %d) | git fetch pack %d bytes | bytes ratio ours/git %.3f\n", l, oo, orx, op, pp, (pp ? op / pp : 0)
    printf "%s: wall ours (fetch + verify incl. full re-hash) %.2f s | git fetch %.2f s (ratio %.2f) | git fetch + fsck %.2f s (ratio %.2f)\n", l, us, gf, us / gf, gf + gk, us / (gf + gk)
    printf "%s: of ours: transfer %.2f s (ratio to git fetch %.2f), verification %.2f s, the rest process start and staging checks\n", l, tx, tx / gf, ver }'
  # Accept the update on the medium as known-good for the next round (as a promotion would).
  sha=$(git -C "$W/medium/live/filesystem.git" rev-parse refs/bootsafe/fetched)
  "$BIN" init --force --medium "$W/medium" --revision "$sha" >/dev/null
}

FULL=$(find "$W/medium/live/filesystem.git/objects" -name '*.pack' -printf '%s\n' | awk '{ s += $1 } END { print s }')
echo "repository: $FILES files, full pack $FULL bytes; each update changes $CHANGED files"
update v2; round "update 1"
update v3; round "update 2"
