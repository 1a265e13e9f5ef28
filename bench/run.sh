#!/usr/bin/env bash
# Runs every benchmark side by side with its peer (figures are ratios from one run each).
#   bench/fetch:  our verified fetch against `git fetch` of the same update
#   bench/mount:  git-fs against a plain checkout of the same commit
#   bench/select: `select` AOT against the JIT build
#   bench/fleet:  server CPU and bytes per kiosk (nginx + git http-backend), git vs our fetch
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x out/aot/webc-bootsafe ] || make --no-print-directory publish
for b in fetch mount select fleet; do
  echo "=== bench/$b"
  bash "bench/$b/run.sh"
done
