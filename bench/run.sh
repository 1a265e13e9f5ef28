#!/usr/bin/env bash
# Runs every benchmark side by side with its peer (figures are ratios from one run each).
#   bench/fetch:  our verified fetch against `git fetch` of the same update
#   bench/mount:  git-fs against a plain checkout of the same commit
#   bench/select: webc-bootsafe-select and `webc-bootsafe select` (AOT, JIT): milliseconds, fsyncs
#   bench/fleet:  server CPU and bytes per kiosk (nginx + git http-backend), git vs our fetch
#   bench/scrub:  `scrub` against `git fsck --full` of the same commit
#
# One table at the end. Convention: a bench/*/run.sh reports each figure that has a goal as a line
#   RATIO <bench> <metric> <value> <goal>
# (one line, five space-separated fields; <metric> has no spaces; <goal> is like <=1.5 or >=2).
# This script collects those lines from every bench's output and prints them as one table, with
# "met" or "NOT met" when the value and goal are numbers. A bench that fails is listed as failed.
set -uo pipefail
cd "$(dirname "$0")/.."
[ -x out/aot/webc-bootsafe ] && [ -x out/aot/webc-bootsafe-select ] || make --no-print-directory publish
ratios=$(mktemp /tmp/bench-ratios.XXXXXX)
trap 'rm -f "$ratios"' EXIT
for b in fetch mount select fleet scrub; do
  echo "=== bench/$b"
  if ! bash "bench/$b/run.sh" 2>&1 | tee >(grep '^RATIO ' >> "$ratios"); then
    echo "RATIO $b (bench-failed) - -" >> "$ratios"
  fi
done
sleep 1 # the tee'd grep finishes writing
echo
echo "=== all ratios (RATIO lines of each bench/*/run.sh)"
awk '$1 == "RATIO" {
  v = $4; g = $5; verdict = ""
  if (v ~ /^[0-9.]+$/ && match(g, /^(<=|>=|<|>)[0-9.]+$/)) {
    op = g; sub(/[0-9.]+$/, "", op); lim = substr(g, length(op) + 1) + 0; v += 0
    ok = (op == "<=" && v <= lim) || (op == ">=" && v >= lim) || (op == "<" && v < lim) || (op == ">" && v > lim)
    verdict = ok ? "met" : "NOT met"
  }
  printf "%-8s %-58s %10s  %-8s %s\n", $2, $3, $4, $5, verdict
}' <(printf 'RATIO bench metric value goal\n'; cat "$ratios")
