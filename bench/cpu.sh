#!/usr/bin/env bash
# Runs a command and prints the CPU time (user + system) each part of the local cluster used
# meanwhile: node 1, node 2, Redis, Nginx (scripts/cluster-local.sh's pid files) and the local
# PostgreSQL (all its processes: shared with whatever else uses it), so a benchmark's cost per
# request can be computed per process. Loopback benchmarking only.
#   bench/cpu.sh bench/run.sh hot-read
set -euo pipefail
RUN_DIR=$(cd "$(dirname "$0")/.." && pwd)/.run/cluster
declare -A pids=()
for n in 1 2; do [ -s "$RUN_DIR/node$n/tomcat.pid" ] && pids["node$n"]=$(cat "$RUN_DIR/node$n/tomcat.pid"); done
for f in "$RUN_DIR"/redis-*/redis.pid; do [ -s "$f" ] && pids["redis-$(basename "$(dirname "$f")" | cut -d- -f2)"]=$(cat "$f"); done
[ -s "$RUN_DIR/nginx/nginx.pid" ] && pids[nginx]=$(cat "$RUN_DIR/nginx/nginx.pid")
for f in /var/run/postgresql/*.pid; do [ -s "$f" ] && pids["postgres-$(basename "$f" .pid)"]=$(head -1 "$f"); done
ticks() { # the process, its live children (Nginx's workers, PostgreSQL's backends) and those it reaped, in clock ticks
  local total=0 p
  [ -r "/proc/$1/stat" ] && total=$(awk '{print $16 + $17}' "/proc/$1/stat")
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
