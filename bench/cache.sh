#!/usr/bin/env bash
# Cache benchmark against a local run (scripts/run-local.sh; start it once as is, once with
# CACHE_ENABLED=false, and run this each time):
#  1. Redis commands per hot near-cached read: Redis INFO commandstats before and after N sequential
#     requests, minus what the node sends by itself (watch, presence, queue sweep) over an idle
#     period as long;
#  2. throughput and latency of the same read with wrk.
# The read is GET /api/cms/texts/bench.text (CMS_TEXT, near-cached), plus the session check
# (USER_PERMISSIONS, near-cached) that every authenticated request makes.
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
path=/api/cms/texts/bench.text
curl -sf -X PUT "$BASE$path" -H "$auth" -H 'Content-Type: application/json' -d '{"content":"Texto de benchmark"}' >/dev/null
curl -sf "$BASE$path" -H "$auth" >/dev/null

redis_calls() { redis-cli INFO commandstats | sed -n 's/^cmdstat_[^:]*:calls=\([0-9]*\),.*/\1/p' | paste -sd+ | bc; }

start_calls=$(redis_calls); start=$(date +%s.%N)
curl -sf -o /dev/null -H "$auth" "$BASE$path?n=[1-$REQUESTS]"
burst_calls=$(( $(redis_calls) - start_calls - 1 )); elapsed=$(echo "$(date +%s.%N) - $start" | bc)
idle_start=$(redis_calls); sleep "$elapsed"; idle_calls=$(( $(redis_calls) - idle_start - 1 ))
echo "Redis commands during $REQUESTS reads: $burst_calls in ${elapsed}s; idle node over as long: $idle_calls"
echo "Redis commands per read: $(echo "scale=4; ($burst_calls - $idle_calls) / $REQUESTS" | bc)"

curl -s "$BASE/api/admin/cache/metrics" -H "$auth" | python3 -c 'import json,sys; m=json.load(sys.stdin); print("cache:", m["breaker"], "cms_text", m["kinds"]["cms_text"])'
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "$auth" "$BASE$path"
