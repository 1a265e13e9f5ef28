#!/usr/bin/env bash
# Fleet bench: what one kiosk costs a stock smart-HTTP git server. nginx + fcgiwrap + `git http-backend`
# on 127.0.0.1 (own config files in a temp dir, a free high port, stopped by the trap) serve a
# kiosk-sized repository (20,000 files, ~120 MB of incompressible data). Measured per operation, at
# the server: requests, bytes sent (nginx $bytes_sent), CPU of the git processes (the CGI wrapper's
# `times` after `git http-backend` returns: user+sys of http-backend, upload-pack and pack-objects),
# CPU of nginx + fcgiwrap themselves (/proc/PID/stat utime+stime deltas), and the client's wall time.
# Operations: a 1% update fetched by `git fetch` and by our `webc-bootsafe fetch`, a "nothing new"
# poll by both, and a full `git clone`.
# Usage: bash bench/fleet/run.sh   (after `make build`; env FILES=20000 REPS=3 NOOP_REPS=20)
set -euo pipefail
FILES=${FILES:-20000}
CHANGED=$((FILES / 100))
REPS=${REPS:-3}
NOOP_REPS=${NOOP_REPS:-20}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN="$ROOT/Cli/bin/${CONFIG:-Release}/net10.0/webc-bootsafe"
[ -x "$BIN" ] || { echo "build first: make build" >&2; exit 2; }
for tool in nginx fcgiwrap openssl perl git ssh-keygen; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "missing $tool: apt-get install nginx-light fcgiwrap openssl perl git openssh-client" >&2; exit 2; }
done
export PATH="$PATH:/usr/sbin"
W=$(mktemp -d /tmp/bootsafe-bench-fleet.XXXXXX)
NGINX="" FCGI=""
cleanup() {
  [ -n "$NGINX" ] && kill "$NGINX" 2>/dev/null && wait "$NGINX" 2>/dev/null || true
  [ -n "$FCGI" ] && kill "$FCGI" 2>/dev/null && wait "$FCGI" 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.org GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.org
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"

ssh-keygen -q -t ed25519 -N "" -C bench -f "$W/key"
echo "bench@example.org $(cat "$W/key.pub")" > "$W/allowed_signers"
SIGN=(-c gpg.format=ssh -c user.signingkey="$W/key" -c commit.gpgsign=true)

# Deterministic content: an AES-CTR keystream (key = seed) cut into files. File i lives in
# usr/share/dNNN (200 directories) and has 1 KiB + (i * 7919 mod 10 KiB) bytes: ~6 KiB on average.
# Random bytes do not compress, so the byte figures are an upper bound for a real root filesystem.
stream() { { openssl enc -aes-128-ctr -nosalt -K "$(printf '%032x' "$1")" -iv 0 -in /dev/zero 2>/dev/null || true; }; }
write_files() { # $1 seed, $2 step, $3 count: (re)writes files k*step for k < count
  stream "$1" | perl -e '
    use File::Path qw(make_path);
    my ($step, $count) = @ARGV; binmode STDIN;
    for my $k (0 .. $count - 1) {
      my $i = $k * $step; my $d = sprintf("usr/share/d%03d", $i % 200); make_path($d);
      my $size = 1024 + ($i * 7919) % 10240;
      read(STDIN, my $buf, $size) == $size or die "short keystream\n";
      open(my $f, ">:raw", sprintf("%s/f%05d", $d, $i)) or die "$d: $!\n"; print $f $buf; close $f;
    }' "$2" "$3"
}

git init -q -b master "$W/pub"
cd "$W/pub"
mkdir -p boot etc
echo kernel > boot/vmlinuz-6.1.0-9-amd64; echo initrd > boot/initrd.img-6.1.0-9-amd64; echo v1 > etc/version
write_files 1 1 "$FILES"
git add -A && git "${SIGN[@]}" commit -q -m v1
V1=$(git rev-parse HEAD)
# The served repository is bare and repacked with bitmaps after each publish, as a maintained server is.
git clone -q --bare "$W/pub" "$W/srv/fleet.git"
git -C "$W/srv/fleet.git" repack -q -adb

# --- the server: nginx -> fcgiwrap -> wrapper -> git http-backend
mkdir -p "$W/nginx"
cat > "$W/git-cgi" <<EOF
#!/bin/sh
# Runs git http-backend, then appends this shell's and its reaped children's CPU times (two lines).
git http-backend
rc=\$?
times >> "$W/cpu.log"
exit \$rc
EOF
chmod 755 "$W/git-cgi"
while :; do PORT=$((20000 + RANDOM % 20000)); (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null || break; done
cat > "$W/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
user root;
pid $W/nginx/nginx.pid;
error_log $W/nginx/error.log;
events { worker_connections 256; }
http {
  log_format fleet '\$request_method \$uri \$status \$bytes_sent \$request_length \$request_time';
  access_log $W/nginx/access.log fleet;
  client_body_temp_path $W/nginx/body;
  fastcgi_temp_path $W/nginx/fastcgi;
  proxy_temp_path $W/nginx/proxy;
  uwsgi_temp_path $W/nginx/uwsgi;
  scgi_temp_path $W/nginx/scgi;
  client_max_body_size 0;
  server {
    listen 127.0.0.1:$PORT;
    location / {
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME $W/git-cgi;
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
fcgiwrap -s "unix:$W/fcgiwrap.sock" &
FCGI=$!
nginx -e "$W/nginx/error.log" -p "$W/nginx" -c "$W/nginx/nginx.conf" &
NGINX=$!
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && [ -S "$W/fcgiwrap.sock" ] && break; sleep 0.1; done
URL="http://127.0.0.1:$PORT/fleet.git"
: > "$W/cpu.log"; touch "$W/nginx/access.log"

# --- clients at v1: a git peer and a medium for our fetch (prepared as bench/fetch does)
git clone -q --bare "$URL" "$W/peer-v1.git"
mkdir -p "$W/medium-v1/live/bootsafe"
git clone -q --bare "$URL" "$W/medium-v1/live/filesystem.git"
"$BIN" init --medium "$W/medium-v1" --revision "$V1" >/dev/null
printf 'remote: %s\nssh-allowed-signers: %s\nkernel-flavour: amd64\n' "$URL" "$W/allowed_signers" > "$W/medium-v1/live/bootsafe/config.yaml"
: > "$W/cmdline"

# --- publish the 1% update: CHANGED files spread over the tree, each rewritten with new content
cd "$W/pub"
write_files 2 $((FILES / CHANGED)) "$CHANGED"
echo v2 > etc/version
git add -A && git "${SIGN[@]}" commit -q -m v2
git push -q "$W/srv/fleet.git" master
git -C "$W/srv/fleet.git" repack -q -adb
cd "$W"

# Server-side own CPU of nginx (master + workers) and fcgiwrap, in clock ticks.
ticks() {
  local pids="$NGINX $(cat /proc/"$NGINX"/task/*/children 2>/dev/null) $FCGI" sum=0 p s
  for p in $pids; do
    s=$(sed 's/^.*) //' /proc/"$p"/stat 2>/dev/null) || continue
    set -- $s; sum=$((sum + ${12} + ${13}))
  done
  echo "$sum"
}
HZ=$(getconf CLK_TCK)
now() { date +%s.%N; }

measure() { # $1 label, rest: the client command; appends one line to $W/results
  local label=$1; shift
  local log0 cpu0 tk0 t0 t1 tk1
  log0=$(wc -l < "$W/nginx/access.log"); cpu0=$(wc -l < "$W/cpu.log"); tk0=$(ticks); t0=$(now)
  "$@" > "$W/client.out" 2>&1 || { echo "$label: client failed:"; cat "$W/client.out"; exit 1; } >&2
  t1=$(now); sleep 0.2; tk1=$(ticks)
  local req bytes git_cpu
  read -r req bytes < <(tail -n +$((log0 + 1)) "$W/nginx/access.log" | awk '{ n++; b += $4; if ($3 != 200) bad = bad " " $1 $2 "=" $3 } END { if (bad) print "non-200:" bad > "/dev/stderr"; print n + 0, b + 0 }')
  # Every second line of a `times` pair is the children (git) line: "UmU.Us SmS.Ss".
  git_cpu=$(tail -n +$((cpu0 + 1)) "$W/cpu.log" | awk 'function s(x, a) { sub(/s$/, "", x); split(x, a, "m"); return a[1] * 60 + a[2] }
    NR % 2 == 0 { t += s($1) + s($2) } END { printf "%.4f", t }')
  [ -e "$W/req.$label" ] || tail -n +$((log0 + 1)) "$W/nginx/access.log" > "$W/req.$label"
  echo "$label $req $bytes $git_cpu $(( (tk1 - tk0) )) $HZ $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" >> "$W/results"
}

ours_fetch() { # $1 medium; must end verified or up to date
  "$BIN" fetch --medium "$1" --cmdline "$W/cmdline" || return 1
}

for r in $(seq "$REPS"); do
  cp -a "$W/peer-v1.git" "$W/peer-$r.git"
  measure "update:git-fetch" git -C "$W/peer-$r.git" fetch -q "$URL" "+refs/heads/master:refs/heads/master"
  cp -a "$W/medium-v1" "$W/medium-$r"
  measure "update:ours" ours_fetch "$W/medium-$r"
  grep -q "^received" "$W/client.out" || { echo "our fetch did not receive:"; cat "$W/client.out"; exit 1; } >&2
  [ "$r" = 1 ] || rm -rf "$W/peer-$r.git" "$W/medium-$r"
done
sed -n '1,/^transfer/p' "$W/client.out" | sed 's/^/  ours (last update run): /' > "$W/ours-update.txt"
for r in $(seq "$NOOP_REPS"); do
  measure "noop:git-fetch" git -C "$W/peer-1.git" fetch -q "$URL" "+refs/heads/master:refs/heads/master"
  measure "noop:ours" ours_fetch "$W/medium-1"
done
sed 's/^/  ours (last no-op run): /' "$W/client.out" > "$W/ours-noop.txt"
for r in $(seq "$REPS"); do
  measure "clone:git-clone" git clone -q --bare "$URL" "$W/clone-$r.git"
  rm -rf "$W/clone-$r.git"
done

PACK=$(find "$W/srv/fleet.git/objects/pack" -name '*.pack' -printf '%s\n' | awk '{ s += $1 } END { print s }')
echo "repository: $FILES files, served pack $PACK bytes; the update rewrites $CHANGED files (1%); git $(git --version | cut -d' ' -f3), $(nginx -v 2>&1 | cut -d' ' -f3), fcgiwrap"
echo "per operation, mean [min-max] over runs; CPU at the server: git = http-backend+upload-pack+pack-objects, web = nginx+fcgiwrap (${HZ} Hz ticks)"
awk '{ k = $1; n[k]++; req[k] += $2; by[k] += $3; g[k] += $4; web[k] += $5 / $6; wall[k] += $7
       if (!(k in gmin) || $4 < gmin[k]) gmin[k] = $4; if ($4 > gmax[k]) gmax[k] = $4; if (!(k in order)) order[k] = ++o; key[o] = k }
  END { for (i = 1; i <= o; i++) { k = key[i]
    printf "%-17s runs %2d | requests %.1f | bytes sent %.0f | git CPU %.1f ms [%.1f-%.1f] | web CPU %.1f ms | client wall %.2f s\n",
      k, n[k], req[k] / n[k], by[k] / n[k], 1000 * g[k] / n[k], 1000 * gmin[k], 1000 * gmax[k], 1000 * web[k] / n[k], wall[k] / n[k] } }' "$W/results"
cat "$W/ours-update.txt" "$W/ours-noop.txt"
echo "requests of the first run of each (method path status bytes_sent request_length request_time):"
for k in update:git-fetch update:ours noop:git-fetch noop:ours clone:git-clone; do
  sed "s/^/  $k: /" "$W/req.$k"
done
