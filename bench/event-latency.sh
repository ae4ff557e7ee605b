#!/usr/bin/env bash
# Live-event benchmark against scripts/run-local.sh: a supervisor's CLIENTS consoles on one node,
# MESSAGES signed webhook deliveries sent one at a time; prints p50/p99 from the webhook POST to the
# first console receiving the event, and how many clients stayed connected. Loopback only.
# Usage: bench/event-latency.sh [clients=500] [messages=200]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CLIENTS=${1:-500}; MESSAGES=${2:-200}
BASE=${BASE:-http://127.0.0.1:8080}
RUN="$ROOT/.run/local"
email=$(sed -n 1p "$RUN/admin.credentials"); password=$(sed -n 2p "$RUN/admin.credentials")
token=$(curl -sf "$BASE/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"workspace\":\"demo\",\"email\":\"$email\",\"password\":\"$password\"}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["accessToken"])')
phone=$(( 100000000000 + RANDOM * 32768 + RANDOM ))
secret="bench-app-secret-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
curl -sf "$BASE/api/whatsapp/accounts" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"phoneNumberId\":\"$phone\",\"accessToken\":\"bench-token-0123456789abcdef\",\"appSecret\":\"$secret\",\"verifyToken\":\"bench-verify-0123456789\"}" >/dev/null
java "$ROOT/bench/EventLatency.java" "$BASE" "$token" "$phone" "$secret" demo "$CLIENTS" "$MESSAGES"
