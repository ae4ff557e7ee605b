#!/usr/bin/env bash
# Load harness of the ReisTech backend: wrk workloads and, after each, checks of what the
# application must have done (PostgreSQL and API). Loopback or a test installation only.
#
# Usage: bench/run.sh WORKLOAD...        (from any directory; relative paths are the repository's)
#   baseline       wrk -s plain.lua on BASELINE_URL (the tiny servlet WAR deployed beside the app)
#   hot-read       GET /api/catalog/items?page=0&size=20&sort=name with a valid JWT (hotread.lua)
#   login          POST /api/auth/login over the AGENTS bench users (login.lua); bcrypt-bound
#   webhook        signed webhook deliveries from WEBHOOK_CUSTOMERS customers (webhook.lua), then:
#                  accepted vs stored, no duplicates, all handled by the bot within the wait, in
#                  order; sustained processing rate, bot latency (PROCESSING) and inbox latency (INBOX)
#   webhook-burst  the same, every message from ONE customer (one wa_id)
#   queue          QUEUE_CONVERSATIONS conversations put in the human queue through the bot, then
#                  AGENTS agents (one connection each) racing to take them (queue.lua): exactly
#                  one 200 per conversation, 409 for the rest; the conversations are closed after
#   mixed          hot reads, webhooks, queue reads, conversation reads and a few logins by weight
#   all            all of the above, in that order
# Each prints "== workload ==", its RESULT line(s) (report.lua), then PASS/FAIL lines; the exit
# status is 1 if any check failed. Every wrk run has a duration and every wait a limit.
# With SERVER_LOG (Nginx's access log, e.g. .run/cluster/nginx/logs/reistech-access.log), each
# measured run also prints LATENCY lines: what the server measured, per route (bench/latency.py).
# Read those for a mix: wrk's percentiles cover every kind at once and wrk 4.1 back-fills its
# histogram after each slow response, so a few slow logins inflate the whole mix's p99.
#
# Environment (defaults fit scripts/run-local.sh started with RATE_LIMIT_API=1000000/10/0
# RATE_LIMIT_LOGIN=100000/60/0; the real limits show up as 429 and FAIL):
#   BASE_URL=http://127.0.0.1:8080   BASELINE_URL=$BASE_URL/bench-baseline/   BENCH_INSECURE=1: curl -k
#   CONNECTIONS=64 THREADS=2 DURATION=15s WARMUP=5s (a first, unreported run; 0 for none)
#   WRK_TIMEOUT=10s  WAIT_SECONDS=180 (longest the bot may make no progress)  MAX_WAIT_SECONDS=1200 (longest wait)
#   CREDENTIALS=.run/local/admin.credentials (line 1 e-mail, line 2 password)  WORKSPACE=demo
#   DB_HOST=127.0.0.1 DB_PORT=5432 DB_NAME=reistech DB_USER=reistech DB_PASSWORD_FILE=.run/local/db-password
#   AGENTS=8 (bench users, role AGENT)  LOGIN_CONNECTIONS=8  QUEUE_CONVERSATIONS=100
#   WEBHOOK_MESSAGES=20000 (generated per run; each sent at most once, so they cap the rate at
#   WEBHOOK_MESSAGES / DURATION: give more than the node can take)  WEBHOOK_CUSTOMERS=200
#   DUPLICATE_EVERY=10 (every 10th delivery is a redelivery of the one before; 0 for none)
#   MIX=hot=850,webhook=80,queue=40,conversation=29,login=1 (per mille)
#   BENCH_PHONE_NUMBER_ID=5550100000001 BENCH_APP_SECRET=bench-app-secret-0123456789 (the bench's account)
# Examples:
#   DURATION=5s CONNECTIONS=8 bench/run.sh hot-read queue          (short runs while developing)
#   BASE_URL=https://host BENCH_INSECURE=1 CREDENTIALS=.run/cluster/admin.credentials bench/run.sh all
# What it leaves in the workspace (created once, idempotently): catalog items BENCH-n until the first
# page has 20, users bench-agent-NN@bench.local (AGENT, password AGENT_PASSWORD), the WhatsApp account
# BENCH_PHONE_NUMBER_ID, settings queue.agentCapacity 50, autoAssign off and business hours
# 00:00-24:00 every day (queue workload: the bot hands off only within business hours); new customers
# and conversations on every run.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
export BENCH_DIR
cd "$BENCH_DIR/.."

BASE_URL=${BASE_URL:-http://127.0.0.1:8080}; BASE_URL=${BASE_URL%/}
BASELINE_URL=${BASELINE_URL:-$BASE_URL/bench-baseline/}
CONNECTIONS=${CONNECTIONS:-64}; THREADS=${THREADS:-2}; DURATION=${DURATION:-15s}; WARMUP=${WARMUP:-5s}
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}; WAIT_SECONDS=${WAIT_SECONDS:-180}; MAX_WAIT_SECONDS=${MAX_WAIT_SECONDS:-1200}
CREDENTIALS=${CREDENTIALS:-.run/local/admin.credentials}; WORKSPACE=${WORKSPACE:-demo}
DB_HOST=${DB_HOST:-127.0.0.1}; DB_PORT=${DB_PORT:-5432}; DB_NAME=${DB_NAME:-reistech}; DB_USER=${DB_USER:-reistech}
DB_PASSWORD_FILE=${DB_PASSWORD_FILE:-.run/local/db-password}
AGENTS=${AGENTS:-8}; AGENT_PASSWORD=${AGENT_PASSWORD:-Bench-Agente-Senha-2026}
LOGIN_CONNECTIONS=${LOGIN_CONNECTIONS:-8}; QUEUE_CONVERSATIONS=${QUEUE_CONVERSATIONS:-100}
WEBHOOK_MESSAGES=${WEBHOOK_MESSAGES:-20000}; WEBHOOK_CUSTOMERS=${WEBHOOK_CUSTOMERS:-200}; DUPLICATE_EVERY=${DUPLICATE_EVERY:-10}
BENCH_PHONE_NUMBER_ID=${BENCH_PHONE_NUMBER_ID:-5550100000001}; BENCH_APP_SECRET=${BENCH_APP_SECRET:-bench-app-secret-0123456789}
export WORKSPACE PHONE_NUMBER_ID=$BENCH_PHONE_NUMBER_ID APP_SECRET=$BENCH_APP_SECRET BENCH_INSECURE=${BENCH_INSECURE:-0}

[ $# -gt 0 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
for tool in wrk curl jq psql python3; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (Debian: apt-get install wrk curl jq postgresql-client python3)" >&2; exit 2; }
done
OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT
CURL=(curl -sS --max-time 30); [ "$BENCH_INSECURE" = 1 ] && CURL+=(-k)
export PGPASSWORD; PGPASSWORD=$(cat "$DB_PASSWORD_FILE")
FAILED=0

die() { echo "ERROR $*" >&2; exit 1; }
check() { local what=$1; shift; if "$@"; then echo "PASS $what"; else echo "FAIL $what"; FAILED=1; fi; }
sql() { psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$DB_NAME" -qAtX -v ON_ERROR_STOP=1 -F ' ' -c "$1"; }
threads_for() { echo $(( $1 < THREADS ? $1 : THREADS )); }
new_tag() { head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
# 10,000 fresh customer numbers per call: 14 digits, random block.
new_base() { echo $(( 55000000000000 + (RANDOM * 32768 + RANDOM) % 400000000 * 10000 )); }
in_list() { sed "s/.*/'&'/" "$1" | paste -sd, -; }

# api METHOD PATH [BODY] [TOKEN]: prints the status; the body is left in $OUT/body.
api() {
  local args=(-X "$1" -o "$OUT/body" -w '%{http_code}' -H "Authorization: Bearer ${4:-$ADMIN_TOKEN}")
  [ -z "${3:-}" ] || args+=(-H 'Content-Type: application/json' --data-binary "$3")
  "${CURL[@]}" "${args[@]}" "$BASE_URL$2"
}
# call EXPECTED METHOD PATH [BODY] [TOKEN]: api, and stop unless the status is one of EXPECTED (a,b).
call() {
  local expected=$1 status; shift
  status=$(api "$@")
  case ",$expected," in *",$status,"*) ;; *) die "$1 $2 answered $status (expected $expected): $(head -c 300 "$OUT/body")" ;; esac
}
# login EMAIL PASSWORD: prints an access token.
login() {
  local status
  status=$("${CURL[@]}" -o "$OUT/login" -w '%{http_code}' -H 'Content-Type: application/json' --data-binary \
    "$(jq -nc --arg w "$WORKSPACE" --arg e "$1" --arg p "$2" '{workspace: $w, email: $e, password: $p}')" "$BASE_URL/api/auth/login")
  [ "$status" = 200 ] || die "login of $1 answered $status: $(head -c 300 "$OUT/login")"
  jq -r .accessToken "$OUT/login"
}

# bench_wrk NAME CONNECTIONS THREADS SCRIPT URL [wrk options]: a warm-up run (WARMUP, unless 0 or
# NO_WARMUP=1), then the measured run (DURATION); prints its RESULT/MIX lines, output kept in $OUT/NAME.
bench_wrk() {
  local name=$1 c=$2 t=$3 script=$4 url=$5; shift 5
  if [ "$WARMUP" != 0 ] && [ "${NO_WARMUP:-0}" != 1 ]; then
    WRK_THREADS=$t wrk -t"$t" -c"$c" -d"$WARMUP" --timeout "$WRK_TIMEOUT" "$@" -s "$BENCH_DIR/$script" "$url" >/dev/null
  fi
  local first=0; [ -z "${SERVER_LOG:-}" ] || first=$(( $(wc -l <"$SERVER_LOG") + 1 ))
  WRK_THREADS=$t wrk -t"$t" -c"$c" -d"$DURATION" --timeout "$WRK_TIMEOUT" "$@" -s "$BENCH_DIR/$script" "$url" >"$OUT/$name"
  grep -E '^(RESULT|MIX) ' "$OUT/$name" || { cat "$OUT/$name"; die "$name: wrk printed no RESULT line"; }
  [ -z "${SERVER_LOG:-}" ] || python3 "$BENCH_DIR/latency.py" "$SERVER_LOG" "$first"
}
# result NAME KEY: a field of run NAME's RESULT line (requests, socket_errors, non2xx...) or the
# count of a status (200, 409...); 0 when absent.
result() {
  grep -m1 '^RESULT ' "$OUT/$1" | tr ' ,' '\n\n' | sed -n "s/^\(statuses=\)\{0,1\}$2=//p" | grep . || echo 0
}
# Scripts that count statuses (webhook, queue) check every answer is 2xx; the others, that none is 4xx or 5xx.
check_clean() {
  local socket non2xx; socket=$(result "$1" socket_errors); non2xx=$(result "$1" non2xx)
  check "$1: no socket errors ($socket), no error answers ($non2xx)" [ "$socket" = 0 -a "$non2xx" = 0 ]
}

prepare_admin() {
  ADMIN_TOKEN=$(login "$(sed -n 1p "$CREDENTIALS")" "$(sed -n 2p "$CREDENTIALS")")
  call 200 GET /api/auth/me
  WORKSPACE_ID=$(jq -r .workspaceId "$OUT/body")
}
# The first catalog page has 20 items (adds BENCH-n items when short).
prepare_catalog() {
  call 200 GET '/api/catalog/items?page=0&size=20&sort=name'
  local have; have=$(jq '.items | length' "$OUT/body")
  for i in $(seq $((have + 1)) 20); do
    call 201,409 POST /api/catalog/items "{\"sku\":\"BENCH-$i\",\"name\":\"Item de benchmark $i\",\"description\":\"bench\",\"price\":$i.90,\"stock\":100}"
  done
}
# Queue settings that keep capacity and the clock out of the measurement (PUT only when different).
prepare_workspace() {
  call 200 GET "/api/workspaces/$WORKSPACE_ID"
  jq -c '{slug, name, settings: (.settings | .queue = ((.queue // {}) + {agentCapacity: 50, autoAssign: false})
         | .businessHours.week |= map_values([{open: "00:00", close: "24:00"}]))}' "$OUT/body" >"$OUT/workspace"
  if ! jq -e --slurpfile want "$OUT/workspace" '.settings == $want[0].settings' "$OUT/body" >/dev/null; then
    call 200 PUT "/api/workspaces/$WORKSPACE_ID" "$(cat "$OUT/workspace")"
    echo "workspace $WORKSPACE now: queue.agentCapacity 50, autoAssign off, business hours 00:00-24:00 every day"
  fi
}
# AGENTS users of role AGENT (created once), their credentials in $OUT/agents.tsv, fresh tokens in $OUT/agent-tokens.
prepare_agents() {
  : >"$OUT/agents.tsv"; : >"$OUT/agent-tokens"
  local i email
  for i in $(seq 1 "$AGENTS"); do
    email=$(printf 'bench-agent-%02d@bench.local' "$i")
    call 201,409 POST /api/users "{\"email\":\"$email\",\"nome\":\"Agente de benchmark $i\",\"role\":\"AGENT\",\"password\":\"$AGENT_PASSWORD\"}"
    printf '%s\t%s\n' "$email" "$AGENT_PASSWORD" >>"$OUT/agents.tsv"
    login "$email" "$AGENT_PASSWORD" >>"$OUT/agent-tokens"
  done
  AGENT_IDS="select id from app_user where workspace_id = '$WORKSPACE_ID' and email like 'bench-agent-%@bench.local'"
}
# The bench's WhatsApp account (created once) and proof that its app secret is BENCH_APP_SECRET:
# one signed delivery must answer 200 (401 if the account was connected with another secret).
prepare_account() {
  call 201,409 POST /api/whatsapp/accounts "{\"phoneNumberId\":\"$BENCH_PHONE_NUMBER_ID\",\"accessToken\":\"bench-token-0123456789abcdef\",\"appSecret\":\"$BENCH_APP_SECRET\",\"verifyToken\":\"bench-verify-0123456789\"}"
  gen "$OUT/probe.tsv" 1 1 55000000000000 "probe$(new_tag)" "oi"
  send "$OUT/probe.tsv" >/dev/null || die "a delivery signed with BENCH_APP_SECRET was refused: is $BENCH_PHONE_NUMBER_ID connected with another app secret?"
}
# gen FILE MESSAGES CUSTOMERS WA_ID_BASE TAG [TEXT]: signed deliveries (webhook_payloads.py).
gen() { DUPLICATE_EVERY=${DUP:-0} python3 "$BENCH_DIR/webhook_payloads.py" write "$@"; }
send() { python3 "$BENCH_DIR/webhook_payloads.py" send "$BASE_URL" "$1"; }

# wait_drained QUERY: until QUERY (a count) is 0. Gives up when it has not fallen for WAIT_SECONDS
# (a stall), and in any case after MAX_WAIT_SECONDS: a backlog that keeps draining is waited for.
wait_drained() {
  local left last="" stalled_since=$SECONDS deadline=$((SECONDS + MAX_WAIT_SECONDS))
  while [ "$SECONDS" -lt "$deadline" ] && [ $((SECONDS - stalled_since)) -lt "$WAIT_SECONDS" ]; do
    left=$(sql "$1")
    [ "$left" = 0 ] && return 0
    if [ -n "$left" ] && { [ -z "$last" ] || [ "$left" -lt "$last" ]; }; then last=$left; stalled_since=$SECONDS; fi
    sleep 1
  done
  return 1
}
# wait_handled TAG: until every delivery and message of TAG is processed (one customer's burst is
# handled in order, by one worker, so it may drain for long).
wait_handled() {
  wait_drained "select (select count(*) from webhook_inbox where received_at >= '$START' and processed_at is null
                          and payload like '%wamid.BENCH.$1.%')
                     + (select count(*) from message where wamid like 'wamid.BENCH.$1.%' and processed_at is null)"
}
# wait_replies_sent: until the workspace has no reply left to send (sending is paced at
# WHATSAPP_SENDS_PER_SECOND per number, 80 by default), so one run's replies do not compete with the
# next run's deliveries.
wait_replies_sent() {
  local started=$SECONDS
  if wait_drained "select count(*) from message where workspace_id = '$WORKSPACE_ID' and direction = 'OUT' and status = 'pending'"; then
    [ $((SECONDS - started)) -gt 0 ] && echo "waited $((SECONDS - started))s for earlier replies to be sent"
  else
    echo "earlier replies still unsent (stalled ${WAIT_SECONDS}s or over ${MAX_WAIT_SECONDS}s)"
  fi
  return 0
}
# webhook_checks TAG [LO HI]: waits for the bot, then checks the deliveries and messages of TAG in
# PostgreSQL (inbox rows between LO and HI when given) and prints the PROCESSING figures.
webhook_checks() {
  local tag=$1 started=$SECONDS rows handled_rows distinct stored unique handled misordered
  wait_handled "$tag" || true
  echo "waited $((SECONDS - started))s for the bot"
  read -r rows handled_rows distinct < <(sql "select count(*), count(processed_at),
      count(distinct payload::jsonb #>> '{entry,0,changes,0,value,messages,0,id}')
      from webhook_inbox where received_at >= '$START' and payload like '%wamid.BENCH.$tag.%'")
  read -r stored unique handled misordered < <(sql "select count(*), count(distinct wamid), count(processed_at),
      count(*) filter (where processed_seq <= previous)
      from (select wamid, processed_at, processed_seq, lag(processed_seq) over (partition by customer_id order by id) previous
            from message where wamid like 'wamid.BENCH.$tag.%') m")
  if [ $# -ge 3 ]; then
    check "deliveries stored in the inbox ($rows) = those answered 200, give or take the ones in flight at the end ($2..$3)" \
      [ "$rows" -ge "$2" -a "$rows" -le "$3" ]
  fi
  check "every stored delivery processed (no stall of ${WAIT_SECONDS}s) ($handled_rows of $rows)" [ "$handled_rows" = "$rows" ]
  check "messages stored = distinct wamids delivered ($stored of $distinct; $((rows - distinct)) redeliveries ignored)" [ "$stored" = "$distinct" ]
  check "messages stored, none twice: count(distinct wamid) = count(*) > 0 ($unique = $stored)" [ "$unique" = "$stored" -a "$stored" -gt 0 ]
  check "every message handled by the bot (no stall of ${WAIT_SECONDS}s) ($handled of $stored)" [ "$handled" = "$stored" ]
  check "each customer's messages handled in arrival order ($misordered out of order)" [ "$misordered" = 0 ]
  sql "select 'PROCESSING messages=' || count(*)
         || ' rate_msg_s=' || round(count(*) / greatest(extract(epoch from max(processed_at) - min(created_at)), 0.001))
         || ' bot_latency_p50_ms=' || round(1000 * percentile_cont(0.5) within group (order by extract(epoch from processed_at - created_at)))
         || ' bot_latency_p99_ms=' || round(1000 * percentile_cont(0.99) within group (order by extract(epoch from processed_at - created_at)))
       from message where wamid like 'wamid.BENCH.$tag.%' having count(*) > 0"
  sql "select 'INBOX deliveries=' || count(*)
         || ' stored_to_processed_p50_ms=' || round(1000 * percentile_cont(0.5) within group (order by extract(epoch from processed_at - received_at)))
         || ' stored_to_processed_p99_ms=' || round(1000 * percentile_cont(0.99) within group (order by extract(epoch from processed_at - received_at)))
       from webhook_inbox where received_at >= '$START' and payload like '%wamid.BENCH.$tag.%' having count(*) > 0"
  wait_replies_sent
  sql "select 'REPLIES recorded=' || count(*) || ' failed=' || count(*) filter (where status = 'failed')
         || ' sent_rate_msg_s=' || round(count(sent_at) / greatest(extract(epoch from max(sent_at) - min(created_at)), 0.001))
       from message where workspace_id = '$WORKSPACE_ID' and direction = 'OUT' and created_at >= '$START'
       having count(*) > 0"
}
# close_conversations FILE: closes the conversations listed (ids, one a line) as the administrator.
close_conversations() {
  [ -s "$1" ] || return 0
  echo "closing $(wc -l <"$1") conversations: $(xargs -P4 -I{} "${CURL[@]}" -o /dev/null -w '%{http_code}\n' -X POST \
    -H "Authorization: Bearer $ADMIN_TOKEN" "$BASE_URL/api/conversations/{}/close" <"$1" | sort | uniq -c | xargs)"
}

workload_baseline() {
  bench_wrk baseline "$CONNECTIONS" "$(threads_for "$CONNECTIONS")" plain.lua "$BASELINE_URL"
  check_clean baseline
}

workload_hot_read() {
  prepare_admin; prepare_catalog
  TOKEN=$ADMIN_TOKEN bench_wrk hot-read "$CONNECTIONS" "$(threads_for "$CONNECTIONS")" hotread.lua "$BASE_URL"
  check_clean hot-read
}

workload_login() {
  prepare_admin; prepare_agents
  LOGIN_USERS=$OUT/agents.tsv bench_wrk login "$LOGIN_CONNECTIONS" "$(threads_for "$LOGIN_CONNECTIONS")" login.lua "$BASE_URL" --timeout 30s
  check_clean login
  echo "NOTE every login verifies a bcrypt hash (cost 12): about 3-4 logins/s per server core is expected"
}

# workload_webhook NAME CUSTOMERS: deliveries of a fresh tag (the warm-up has its own, drained first).
workload_webhook() {
  local name=$1 customers=$2 t tag ok
  t=$(threads_for "$CONNECTIONS")
  prepare_admin; prepare_account; wait_replies_sent
  if [ "$WARMUP" != 0 ]; then
    tag=$(new_tag); DUP=$DUPLICATE_EVERY gen "$OUT/warm.tsv" "$WEBHOOK_MESSAGES" "$customers" "$(new_base)" "$tag"
    START=$(sql "select now()")
    WEBHOOKS=$OUT/warm.tsv WRK_THREADS=$t wrk -t"$t" -c"$CONNECTIONS" -d"$WARMUP" --timeout "$WRK_TIMEOUT" \
      -s "$BENCH_DIR/webhook.lua" "$BASE_URL" >/dev/null
    wait_handled "$tag" || echo "warm-up backlog not handled (stalled ${WAIT_SECONDS}s or over ${MAX_WAIT_SECONDS}s)"
  fi
  tag=$(new_tag); DUP=$DUPLICATE_EVERY gen "$OUT/$name.tsv" "$WEBHOOK_MESSAGES" "$customers" "$(new_base)" "$tag"
  START=$(sql "select now()")
  WEBHOOKS=$OUT/$name.tsv NO_WARMUP=1 bench_wrk "$name" "$CONNECTIONS" "$t" webhook.lua "$BASE_URL"
  check_clean "$name"
  ok=$(result "$name" 200)
  webhook_checks "$tag" "$ok" $((ok + CONNECTIONS))
}

# No warm-up: a take changes state once. Conversations get queued the way customers do it: "oi"
# (greeting, menu), then "atendente" (handoff keyword), from QUEUE_CONVERSATIONS new customers.
workload_queue() {
  local n=$QUEUE_CONVERSATIONS tag base queued requests ok conflicts active owned events taken
  prepare_admin; prepare_workspace; prepare_account; prepare_agents
  [ $((AGENTS * 50)) -ge "$n" ] || die "AGENTS * 50 (capacity) < QUEUE_CONVERSATIONS"
  sql "select id from conversation where status = 'ACTIVE' and assigned_agent_id in ($AGENT_IDS)" >"$OUT/leftovers"
  close_conversations "$OUT/leftovers" # of an interrupted run: they would hold capacity
  tag=$(new_tag); base=$(new_base)
  gen "$OUT/queue-oi.tsv" "$n" "$n" "$base" "${tag}a" "oi"
  gen "$OUT/queue-handoff.tsv" "$n" "$n" "$base" "${tag}b" "atendente"
  START=$(sql "select now()")
  send "$OUT/queue-oi.tsv" >/dev/null; wait_handled "${tag}a" || die "greetings not handled (stalled ${WAIT_SECONDS}s or over ${MAX_WAIT_SECONDS}s)"
  send "$OUT/queue-handoff.tsv" >/dev/null; wait_handled "${tag}b" || die "handoffs not handled (stalled ${WAIT_SECONDS}s or over ${MAX_WAIT_SECONDS}s)"
  sql "select c.id from conversation c join customer u on u.id = c.customer_id
       where c.status = 'QUEUED' and u.workspace_id = '$WORKSPACE_ID' and u.wa_id between '$base' and '$((base + n - 1))'" >"$OUT/queue-ids"
  queued=$(wc -l <"$OUT/queue-ids")
  check "prepared: $queued of $n conversations waiting in the queue" [ "$queued" = "$n" ]
  [ "$queued" -gt 0 ] || return 0
  START=$(sql "select now()")
  AGENT_TOKENS=$OUT/agent-tokens QUEUE_IDS=$OUT/queue-ids NO_WARMUP=1 bench_wrk queue "$AGENTS" "$AGENTS" queue.lua "$BASE_URL"
  requests=$(result queue requests); ok=$(result queue 200); conflicts=$(result queue 409)
  check "every conversation taken exactly once: 200 answers = $queued ($ok)" [ "$ok" = "$queued" ]
  check "every other take refused with 409: $conflicts = $requests - $ok, no socket errors ($(result queue socket_errors))" \
    [ "$conflicts" = $((requests - ok)) -a "$(result queue socket_errors)" = 0 ]
  read -r active owned < <(sql "select count(*) filter (where status = 'ACTIVE'), count(*) filter (where assigned_agent_id in ($AGENT_IDS))
                                from conversation where id in ($(in_list "$OUT/queue-ids"))")
  check "PostgreSQL: every one ACTIVE ($active) and held by a bench agent ($owned) of $queued" [ "$active" = "$queued" -a "$owned" = "$queued" ]
  read -r events taken < <(sql "select count(*), count(distinct target) from audit_event
      where action = 'conversation.assigned' and occurred_at >= '$START' and target in ($(in_list "$OUT/queue-ids"))")
  check "audit: one conversation.assigned per conversation ($events events, $taken conversations)" [ "$events" = "$queued" -a "$taken" = "$queued" ]
  echo "taken per agent: $(sql "select count(*) from conversation where id in ($(in_list "$OUT/queue-ids")) group by assigned_agent_id order by 1 desc" | xargs)"
  close_conversations "$OUT/queue-ids"
}

# Conversations to read: 20 new customers greeted first. Webhook deliveries wrap around (redeliveries).
workload_mixed() {
  local t tag base
  t=$(threads_for "$CONNECTIONS")
  prepare_admin; prepare_catalog; prepare_account; prepare_agents
  tag=$(new_tag); base=$(new_base)
  START=$(sql "select now()")
  gen "$OUT/mixed-oi.tsv" 20 20 "$base" "${tag}c" "oi"
  send "$OUT/mixed-oi.tsv" >/dev/null; wait_handled "${tag}c" || die "greetings not handled (stalled ${WAIT_SECONDS}s or over ${MAX_WAIT_SECONDS}s)"
  sql "select c.id from conversation c join customer u on u.id = c.customer_id
       where u.workspace_id = '$WORKSPACE_ID' and u.wa_id between '$base' and '$((base + 19))'" >"$OUT/conversations"
  DUP=$DUPLICATE_EVERY gen "$OUT/mixed.tsv" "$WEBHOOK_MESSAGES" "$WEBHOOK_CUSTOMERS" "$((base + 20))" "$tag"
  TOKEN=$ADMIN_TOKEN WEBHOOKS=$OUT/mixed.tsv CONVERSATIONS=$OUT/conversations LOGIN_USERS=$OUT/agents.tsv \
    bench_wrk mixed "$CONNECTIONS" "$t" mixed.lua "$BASE_URL" --timeout 30s
  check_clean mixed
  webhook_checks "$tag"
}

run() {
  echo "== $1 =="
  case $1 in
    baseline) workload_baseline ;;
    hot-read) workload_hot_read ;;
    login) workload_login ;;
    webhook) workload_webhook webhook "$WEBHOOK_CUSTOMERS" ;;
    webhook-burst) workload_webhook webhook-burst 1 ;;
    queue) workload_queue ;;
    mixed) workload_mixed ;;
    *) die "unknown workload $1 (baseline, hot-read, login, webhook, webhook-burst, queue, mixed, all)" ;;
  esac
}

for workload in "$@"; do
  if [ "$workload" = all ]; then
    for w in baseline hot-read login webhook webhook-burst queue mixed; do run "$w"; done
  else
    run "$workload"
  fi
done
exit "$FAILED"
