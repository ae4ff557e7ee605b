#!/usr/bin/env bash
# Runs a command and prints the CPU time (user + system) each part of the local cluster used
# meanwhile: node 1, node 2, Redis, Nginx (scripts/cluster-local.sh's pid files), so a benchmark's
# cost per request can be computed per process. Loopback benchmarking only.
#   bench/cpu.sh bench/run.sh hot-read
set -euo pipefail
RUN_DIR=$(cd "$(dirname "$0")/.." && pwd)/.run/cluster
declare -A pids=()
for n in 1 2; do [ -s "$RUN_DIR/node$n/tomcat.pid" ] && pids["node$n"]=$(cat "$RUN_DIR/node$n/tomcat.pid"); done
for f in "$RUN_DIR"/redis-*/redis.pid; do [ -s "$f" ] && pids["redis-$(basename "$(dirname "$f")" | cut -d- -f2)"]=$(cat "$f"); done
[ -s "$RUN_DIR/nginx/nginx.pid" ] && pids[nginx]=$(cat "$RUN_DIR/nginx/nginx.pid")
ticks() { # the process and its children (Nginx's workers), in clock ticks
  local total=0 p
  for p in $1 $(pgrep -P "$1" || true); do
    [ -r "/proc/$p/stat" ] && total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat") ))
  done
  echo "$total"
}
declare -A before=()
for name in "${!pids[@]}"; do before[$name]=$(ticks "${pids[$name]}"); done
start=$(date +%s.%N)
"$@"
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
hz=$(getconf CLK_TCK)
for name in $(printf '%s\n' "${!pids[@]}" | sort); do
  used=$(( $(ticks "${pids[$name]}") - ${before[$name]} ))
  printf 'CPU %s=%.2fs ' "$name" "$(echo "$used / $hz" | bc -l)"
done
printf 'over %.1fs\n' "$elapsed"
