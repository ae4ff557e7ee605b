#!/usr/bin/env bash
# Heap of each node of the local cluster after a full GC, every INTERVAL seconds for DURATION
# seconds (run it beside a load, e.g. bench/run.sh mixed): a heap that holds its load stays flat.
#   bench/heap.sh [DURATION=300] [INTERVAL=60]
set -euo pipefail
RUN_DIR=$(cd "$(dirname "$0")/.." && pwd)/.run/cluster
DURATION=${1:-300}; INTERVAL=${2:-60}
end=$(( $(date +%s) + DURATION ))
while :; do
  line="HEAP t=$(date +%H:%M:%S)"
  for n in 1 2; do
    pid=$(cat "$RUN_DIR/node$n/tomcat.pid" 2>/dev/null) || continue
    kill -0 "$pid" 2>/dev/null || continue
    jcmd "$pid" GC.run >/dev/null
    # The heap's lines: G1's "garbage-first heap   total 524288K, used 61234K", the parallel
    # collector's "PSYoungGen total ..., used ...K" and "ParOldGen total ..., used ...K"; another
    # collector's heap is reported as unknown.
    used=$(jcmd "$pid" GC.heap_info | awk '/garbage-first heap|PSYoungGen|ParOldGen/ {
      for (i = 1; i <= NF; i++) if ($i == "used") { sub(/K.*/, "", $(i + 1)); sum += $(i + 1); found = 1 } }
      END { print found ? int(sum / 1024) "MB" : "unknown" }')
    line+=" node$n=$used"
  done
  echo "$line"
  [ "$(date +%s)" -lt "$end" ] || break
  sleep "$INTERVAL"
done
