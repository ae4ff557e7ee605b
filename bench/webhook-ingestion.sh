#!/usr/bin/env bash
# Webhook ingestion benchmark against a local run (scripts/run-local.sh, simulated mode): connects
# a WhatsApp account with a known app secret, fires N signed deliveries with wrk, waits until the
# bot has handled every message, and prints throughput and processing latency from the database.
# Usage: bench/webhook-ingestion.sh [messages=2000] [customers=200] [connections=16]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-2000}; CUSTOMERS=${2:-200}; CONNECTIONS=${3:-16}; THREADS=2
BASE=${BASE:-http://127.0.0.1:8080}
RUN="$ROOT/.run/local"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
export PGPASSWORD; PGPASSWORD=$(cat "$RUN/db-password")
sql() { psql -h 127.0.0.1 -U reistech -d reistech -qAtX -c "$1"; }

email=$(sed -n 1p "$RUN/admin.credentials"); password=$(sed -n 2p "$RUN/admin.credentials")
token=$(curl -sf "$BASE/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"workspace\":\"demo\",\"email\":\"$email\",\"password\":\"$password\"}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["accessToken"])')
phone=$(( 100000000000 + RANDOM * 32768 + RANDOM ))
secret="bench-app-secret-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
curl -sf "$BASE/api/whatsapp/accounts" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"phoneNumberId\":\"$phone\",\"accessToken\":\"bench-token-0123456789abcdef\",\"appSecret\":\"$secret\",\"verifyToken\":\"bench-verify-0123456789\"}" >/dev/null
python3 "$ROOT/bench/webhook_payloads.py" "$N" "$CUSTOMERS" "$phone" "$secret" "$OUT/webhooks.tsv"

start=$(sql "select now()")
# Enough time to send every delivery once at the measured rate; extra requests are duplicates.
WEBHOOKS="$OUT/webhooks.tsv" WRK_THREADS=$THREADS wrk -t$THREADS -c"$CONNECTIONS" -d"${DURATION:-10s}" --latency \
  -s "$ROOT/bench/webhook.lua" "$BASE" | grep -E 'Requests/sec|50%|99%|non-2xx'
for _ in $(seq 1 600); do
  left=$(sql "select count(*) from message where direction = 'IN' and processed_at is null and created_at >= '$start'")
  [ "$left" = "0" ] && break
  sleep 0.5
done
sql "select 'messages handled: ' || count(*) ||
            ', end-to-end: ' || round(count(*) / greatest(extract(epoch from max(processed_at) - min(created_at)), 0.001))::int || ' msg/s' ||
            ', bot latency (message stored to handled) p50 ' || round(1000 * percentile_cont(0.5) within group (order by extract(epoch from processed_at - created_at)))::int || ' ms' ||
            ', p99 ' || round(1000 * percentile_cont(0.99) within group (order by extract(epoch from processed_at - created_at)))::int || ' ms'
     from message where direction = 'IN' and created_at >= '$start'"
sql "select 'webhook stored to processed (inbox): p50 ' ||
            round(1000 * percentile_cont(0.5) within group (order by extract(epoch from processed_at - received_at)))::int || ' ms, p99 ' ||
            round(1000 * percentile_cont(0.99) within group (order by extract(epoch from processed_at - received_at)))::int || ' ms'
     from webhook_inbox where received_at >= '$start'"
sql "select 'replies recorded: ' || count(*) || ', last ' ||
            round(extract(epoch from max(coalesce(sent_at, created_at)) - '$start'::timestamptz)::numeric, 1) || ' s after the first delivery'
     from message where direction = 'OUT' and created_at >= '$start'"
