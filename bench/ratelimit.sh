#!/usr/bin/env bash
# Rate-limit benchmark against a local run (scripts/run-local.sh; start it once as is and once with
# RATE_LIMIT_ENABLED=false, and run this each time):
#  1. Redis commands per request: INFO commandstats before and after N sequential requests, minus
#     what the node sends by itself over an idle period as long; EVAL calls per request separately
#     (the commands a script runs are counted by Redis under their own names);
#  2. throughput and latency of GET /api/auth/me (token check, near-cached session check, one user
#     query) through the whole filter chain, with wrk.
# The local run's api policy (100/min per user) is raised for the measurement: RATE_LIMIT_API=1000000/10/0.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE=${BASE:-http://127.0.0.1:8080}
REQUESTS=${REQUESTS:-2000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
command -v wrk >/dev/null || { echo "wrk is needed (Debian: apt-get install wrk)" >&2; exit 1; }

email=$(sed -n 1p "$ROOT/.run/local/admin.credentials")
password=$(sed -n 2p "$ROOT/.run/local/admin.credentials")
token=$(curl -sf "$BASE/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"workspace\":\"demo\",\"email\":\"$email\",\"password\":\"$password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
auth="Authorization: Bearer $token"
path=/api/auth/me
curl -sf "$BASE$path" -H "$auth" >/dev/null

stat() { redis-cli INFO commandstats | sed -n "s/^cmdstat_$1:calls=\([0-9]*\),.*/\1/p" | paste -sd+ | bc; }
all() { stat '[^:]*'; }

start_all=$(all); start_eval=$(stat 'eval[a-z]*'); start=$(date +%s.%N)
curl -sf -o /dev/null -D - -H "$auth" "$BASE$path?n=[1-$REQUESTS]" | grep -i -m1 '^ratelimit:' || true
burst=$(( $(all) - start_all - 1 )); evals=$(( $(stat 'eval[a-z]*') - start_eval )); elapsed=$(echo "$(date +%s.%N) - $start" | bc)
idle_start=$(all); sleep "$elapsed"; idle=$(( $(all) - idle_start - 1 ))
echo "During $REQUESTS requests: $burst Redis commands (of which $evals EVAL/EVALSHA) in ${elapsed}s; idle node over as long: $idle"
echo "Round trips (EVAL/EVALSHA) per request: $(echo "scale=4; $evals / $REQUESTS" | bc)"
echo "Redis commands per request, script's inner commands included: $(echo "scale=4; ($burst - $idle) / $REQUESTS" | bc)"

wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "$auth" "$BASE$path"
