#!/usr/bin/env bash
# Fetch benchmark: the same 1% update of a 20,000-file repository, fetched by our whole
# `webc-bootsafe fetch --stage` (NativeAOT) and by `git fetch`, side by side in one run, over every
# remote kind (git://, path, file://, smart HTTP), from a repository with 1 and with HISTORY commits
# of history. Then a tag is pushed onto a commit the medium already has, and fetched on both sides.
# Bytes are the packs each side kept (ours: what the fetch wrote; git: fetch.unpackLimit=1 keeps the
# received pack). Needs root (the media live on a loop-mounted ext4 image with extlinux installed,
# as `fetch --stage` writes the bootloader), nginx + fcgiwrap for HTTP, and `make publish`.
# Prints `RATIO fetch <metric> <value> <goal>` lines for bench/run.sh's table.
# Usage: [ROUNDS=5] bash bench/fetch/run.sh [FILES=20000] [CHANGED=200] [HISTORY=300] [REMOTES="git path file http"]
# Times are medians of ROUNDS rounds, each on fresh copies of the medium and the git peer.
set -euo pipefail
FILES=${1:-20000}
CHANGED=${2:-200}
HISTORY=${3:-300}
REMOTES=${4:-git path file http}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$ROOT/out/aot/webc-bootsafe}
[ -x "$BIN" ] || { echo "missing $BIN: make publish" >&2; exit 2; }
W=$(mktemp -d /tmp/bootsafe-bench-fetch.XXXXXX)
M="$W/mnt"
DAEMON="" FCGI="" NGINX="" LOOP=""
cleanup() {
  for p in $DAEMON $NGINX $FCGI; do kill "$p" 2>/dev/null || true; done
  mountpoint -q "$M" && umount "$M"
  [ -n "$LOOP" ] && losetup -d "$LOOP"
  rm -rf "$W"
}
trap cleanup EXIT
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.org GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.org GIT_CONFIG_NOSYSTEM=1
# No background auto-gc: it would repack (and delete loose objects) under the copies and timings.
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=gc.auto GIT_CONFIG_VALUE_0=0

ssh-keygen -q -t ed25519 -N "" -C bench -f "$W/key"
echo "bench@example.org $(cat "$W/key.pub")" > "$W/allowed_signers"
SIGN=(-c gpg.format=ssh -c user.signingkey="$W/key" -c commit.gpgsign=true)
freeport() { while :; do local p=$((20000 + RANDOM % 20000)); (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo "$p"; return; }; done; }
waitport() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return; sleep 0.1; done; }

# --- upstreams: v1 (FILES files of ~600 distinct bytes in 200 directories, made once and copied),
# then H-1 commits of history on top
git init -q -b master "$W/up-v1"
( cd "$W/up-v1"
  mkdir -p boot
  echo kernel > boot/vmlinuz-6.1.0-9-amd64; echo initrd > boot/initrd.img-6.1.0-9-amd64
  awk -v n="$FILES" 'BEGIN { srand(1); for (i = 0; i < n; i++) { d = sprintf("usr/share/d%03d", i % 200); if (!(d in made)) { system("mkdir -p " d); made[d] = 1 }
    f = sprintf("%s/f%05d", d, i); s = ""; for (j = 0; j < 20; j++) s = s sprintf("%08x%08x%08x ", int(rand()*2^31), i, j); print s > f; close(f) } }'
  git add -A && git "${SIGN[@]}" commit -q -m v1 )
upstream() { # $1: commits of history
  local up="$W/up$1"
  cp -a "$W/up-v1" "$up"
  ( cd "$up"
    # History: each commit rewrites 20 files spread over the tree (fast-import: seconds, not minutes).
    if [ "$1" -gt 1 ]; then
      awk -v h="$1" -v n="$FILES" 'BEGIN { for (c = 1; c < h; c++) {
          printf "commit refs/heads/master\ncommitter bench <bench@example.org> %d +0000\ndata <<EOM\nhistory %d\nEOM\n", 1700000000 + c, c
          if (c == 1) print "from refs/heads/master^0"
          for (k = 0; k < 20; k++) { i = (c * 37 + k * 997) % n; body = sprintf("history %d file %d\n", c, i)
            printf "M 100644 inline usr/share/d%03d/f%05d\ndata %d\n%s\n", i % 200, i, length(body), body } } }' | git fast-import --quiet
      git reset -q --hard master
    fi
    git "${SIGN[@]}" commit -q --allow-empty -m base )
  git clone -q --bare --no-local "$up" "$W/srv/h$1.git"
}

mkdir -p "$W/srv"
HISTS="1 $HISTORY"
for h in $HISTS; do upstream "$h"; done

# --- servers: git daemon and nginx -> fcgiwrap -> git http-backend, both on 127.0.0.1
GPORT=$(freeport)
git daemon --export-all --base-path="$W/srv" --port="$GPORT" --listen=127.0.0.1 --reuseaddr "$W/srv" 2>"$W/daemon.log" &
DAEMON=$!
waitport "$GPORT"
if [[ " $REMOTES " == *" http "* ]]; then
  HPORT=$(freeport)
  mkdir -p "$W/nginx"
  cat > "$W/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
user root;
pid $W/nginx/nginx.pid;
error_log $W/nginx/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $W/nginx/body; fastcgi_temp_path $W/nginx/fastcgi; proxy_temp_path $W/nginx/proxy;
  uwsgi_temp_path $W/nginx/uwsgi; scgi_temp_path $W/nginx/scgi;
  client_max_body_size 0;
  server {
    listen 127.0.0.1:$HPORT;
    location / {
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
      fastcgi_param GIT_PROJECT_ROOT $W/srv;
      fastcgi_param GIT_HTTP_EXPORT_ALL "";
      fastcgi_param PATH_INFO \$uri;
      fastcgi_param GIT_PROTOCOL \$http_git_protocol;
      fastcgi_buffering off;
      fastcgi_pass unix:$W/fcgiwrap.sock;
    }
  }
}
EOF
  fcgiwrap -s "unix:$W/fcgiwrap.sock" & FCGI=$!
  nginx -e "$W/nginx/error.log" -p "$W/nginx" -c "$W/nginx/nginx.conf" & NGINX=$!
  waitport "$HPORT"
fi
url() { # $1: kind, $2: history
  case $1 in
    git) echo "git://127.0.0.1:$GPORT/h$2.git" ;;
    path) echo "$W/srv/h$2.git" ;;
    file) echo "file://$W/srv/h$2.git" ;;
    http) echo "http://127.0.0.1:$HPORT/h$2.git" ;;
  esac
}

# --- media on one loop-mounted ext4 image, each with extlinux installed; git peers beside them
truncate -s 1G "$W/media.img"
mkfs.ext4 -q -F "$W/media.img"
LOOP=$(losetup -f --show "$W/media.img")
mkdir -p "$M"; mount "$LOOP" "$M"
: > "$W/cmdline"
for h in $HISTS; do
  v1=$(git -C "$W/srv/h$h.git" rev-parse master)
  for k in $REMOTES; do
    med="$M/h$h-$k"
    mkdir -p "$med/boot/extlinux" "$med/live/bootsafe"
    extlinux --install "$med/boot/extlinux" >/dev/null 2>&1
    git clone -q --bare "$W/srv/h$h.git" "$med/live/filesystem.git"
    "$BIN" init --medium "$med" --revision "$v1" >/dev/null
    "$BIN" bootloader sync --medium "$med" >/dev/null
    printf 'remote: %s\nssh-allowed-signers: %s\nkernel-flavour: amd64\n' "$(url "$k" "$h")" "$W/allowed_signers" > "$med/live/bootsafe/config.yaml"
    git clone -q --bare "$W/srv/h$h.git" "$W/peer-h$h-$k.git"
  done
done
sync

# --- the 1% update: CHANGED files spread over the tree, the same in every upstream
for h in $HISTS; do
  ( cd "$W/up$h"
    awk -v n="$FILES" -v c="$CHANGED" 'BEGIN { step = int(n / c); for (k = 0; k < c; k++) { i = k * step; f = sprintf("usr/share/d%03d/f%05d", i % 200, i); print "changed in v2" >> f; close(f) } }'
    git add -A && git "${SIGN[@]}" commit -q -m v2
    git push -q "$W/srv/h$h.git" master )
done

packbytes() { find "$1/objects" -name '*.pack' -newer "$W/mark" -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
now() { date +%s.%N; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'; }
: > "$W/results"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ROUNDS=${ROUNDS:-5}
round() { # $1: history, $2: kind; ROUNDS times on pristine copies: git fetch then ours, same update, same server
  local med="$M/h$1-$2" peer="$W/peer-h$1-$2.git" u t0 t1 t2 out r gts="" ots="" tvs=""
  u=$(url "$2" "$1")
  for r in $(seq "$ROUNDS"); do
    rm -rf "$med.r" "$peer.r"; cp -a "$med" "$med.r"; cp -a "$peer" "$peer.r"; sync
    touch "$W/mark"; sleep 1
    t0=$(now); git -C "$peer.r" -c fetch.unpackLimit=1 fetch -q "$u" "+master:refs/heads/master"; t1=$(now)
    out=$("$BIN" fetch --stage --medium "$med.r" --cmdline "$W/cmdline" 2>/dev/null); t2=$(now)
    grep -q "staged as trial" <<< "$out" || { echo "fetch --stage did not stage: $out" >&2; exit 1; }
    gts+="$(sub "$t0" "$t1") "; ots+="$(sub "$t1" "$t2") "
    tvs+="$(sed -n 's/^transfer \([0-9.]*\) s, verification \([0-9.]*\) s$/\1 \2/p' <<< "$out")"$'\n'
    if [ "$r" -lt "$ROUNDS" ]; then rm -rf "$med.r" "$peer.r"; fi
  done
  # The last round's copies stay in place of the originals: the tag round below fetches on top of the update.
  chattr -R -i "$med" 2>/dev/null || true  # extlinux --install made ldlinux.sys immutable
  rm -rf "$med" "$peer"; mv "$med.r" "$med"; mv "$peer.r" "$peer"
  local gp op gt ot ttr tve
  gp=$(packbytes "$peer"); op=$(packbytes "$med/live/filesystem.git")
  gt=$(tr ' ' '\n' <<< "$gts" | grep . | median); ot=$(tr ' ' '\n' <<< "$ots" | grep . | median)
  ttr=$(awk 'NF { print $1 }' <<< "$tvs" | median); tve=$(awk 'NF { print $2 }' <<< "$tvs" | median)
  printf 'history %3d, %-4s: ours fetch --stage %6.2f s (transfer %s s, verification %s s) | git fetch %6.2f s | time %s x | pack ours %d B, git %d B | bytes %s x\n' \
    "$1" "$2" "$ot" "$ttr" "$tve" "$gt" "$(div "$ot" "$gt")" "$op" "$gp" "$(div "$op" "$gp")"
  echo "$1 $2 $ot $gt $op $gp" >> "$W/results"
}
echo "repository: $FILES files, each update changes $CHANGED files; history of 1 and $HISTORY commits; ours = $BIN"
echo "times are medians of $ROUNDS rounds, each on fresh copies of the medium and the git peer"
for h in $HISTS; do for k in $REMOTES; do round "$h" "$k"; done; done

# --- a tag on a commit every side already has: only the tag should travel
for h in 1; do
  git -C "$W/up$h" tag -a -m release rel master
  git -C "$W/up$h" push -q "$W/srv/h$h.git" rel
  for k in $REMOTES; do
    med="$M/h$h-$k"; peer="$W/peer-h$h-$k.git"
    printf 'fetch-revision: rel\n' >> "$med/live/bootsafe/config.yaml"
    touch "$W/mark"; sleep 1
    git -C "$peer" -c fetch.unpackLimit=1 fetch -q "$(url "$k" "$h")" "+refs/tags/rel:refs/tags/rel"
    out=$("$BIN" fetch --medium "$med" --cmdline "$W/cmdline" 2>/dev/null || true)
    rx=$(sed -n 's/^received [0-9]* objects, \([0-9]*\) bytes$/\1/p' <<< "$out")
    gp=$(packbytes "$peer")
    printf 'tag on a present commit, %-4s: ours received %s B (%s) | git fetch pack %d B\n' "$k" "${rx:-?}" \
      "$(case $k in path|file) echo "the pack we wrote";; *) echo "wire bytes, framing included";; esac)" "$gp"
    echo "tag $k ${rx:-0} $gp" >> "$W/results"
  done
done

# --- summary (RATIO lines: bench/run.sh collects them into its table)
awk -v H="$HISTORY" '
  $1 != "tag" { t[$1] += $3; n[$1]++; r = $3 / $4; if (r > worst) worst = r
               b = ($6 > 0) ? $5 / $6 : 0; if (b > wb) wb = b; if ($1 == 1 && $2 == "git") g1 = r }
  # Path and file:// are read by us, so "received" is the pack we wrote, comparable with git'"'"'s pack;
  # over git:// and HTTP it is libgit2'"'"'s count of bytes off the wire (framing included): shown only.
  $1 == "tag" && ($2 == "path" || $2 == "file") { tb = ($4 > 0) ? $3 / $4 : 0; if (tb > wt) wt = tb }
  END {
    printf "RATIO fetch time_stage_vs_git_fetch_git:// %.2f <=1.5\n", g1
    printf "RATIO fetch time_stage_vs_git_fetch_worst_remote %.2f <=1.5\n", worst
    printf "RATIO fetch time_history_%d_vs_1 %.2f <=1.2\n", H, t[H] / t[1]
    printf "RATIO fetch bytes_vs_git_worst_remote %.3f <=1.0\n", wb
    printf "RATIO fetch bytes_tag_on_present_commit_vs_git_path_file %.2f <=1.0\n", wt
  }' "$W/results"
