#!/usr/bin/env bash
# Fault drills against the local cluster (scripts/cluster-local.sh), loopback only, each bounded
# (about a minute) and checked: PASS/FAIL lines, exit 1 on any FAIL. docs/RELIABILITY.md has what
# each one promises and its last result.
#
#   bench/drill.sh redis|postgres|tomcat|webhooks|all
#
# A cluster already running is used as it is (its Redis topology decides what the redis drill kills:
# the one server, or the first master of the Redis Cluster); otherwise one is started with the
# limits raised so the drill's own load is not refused (RATE_LIMIT_API=1000000/10/0, flood guard
# off). The postgres drill stops and starts the machine's PostgreSQL: every database on it is away
# for OUTAGE seconds (default 15). Needs root for that one (pg_ctlcluster).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../scripts/lib/common.sh
. "$ROOT/scripts/lib/common.sh"
RUN_DIR="$ROOT/.run/cluster"
OUTAGE=${OUTAGE:-15}
[ $# -ge 1 ] || fail "usage: $0 redis|postgres|tomcat|webhooks|all"
drills=("$@")
[ "$1" = all ] && drills=(webhooks redis tomcat postgres)

if ! "$ROOT/scripts/cluster-local.sh" --status >/dev/null 2>&1; then
  say "Starting the local cluster for the drills"
  RATE_LIMIT_API=1000000/10/0 FLOOD_RATE=100000r/s FLOOD_BURST=100000 "$ROOT/scripts/cluster-local.sh" --no-build
fi
# The drills' own load (about 450 requests/s from one address and one user) must not meet the API limit.
api_limit=$(curl -s -D - -o /dev/null "http://127.0.0.1:${NODE1_PORT:-18081}/api/openapi.json" | tr -d '\r' \
  | sed -n 's/^[Rr]ate[Ll]imit-[Pp]olicy:.*"api";q=\([0-9]*\).*/\1/p')
[ "${api_limit:-0}" -ge 100000 ] || fail "the running cluster limits the API to ${api_limit:-?} requests a window: \
the drills' load would be refused with 429. Stop it ($ROOT/scripts/cluster-local.sh --stop) and run this again: \
it starts one with RATE_LIMIT_API=1000000/10/0"
pg_version=$(ls /etc/postgresql | sort -V | tail -n 1)
first_redis=$(cut -d' ' -f1 "$RUN_DIR/redis-ports")
psql_cmd="PGPASSWORD=$(cat "$RUN_DIR/db-password") psql -h $PG_HOST -p $PG_PORT -U reistech_cluster -d reistech_cluster -qAtX -c"
repair="$ROOT/scripts/cluster-local.sh --repair >/dev/null"

status=0
for drill in "${drills[@]}"; do
  case "$drill" in
    redis)
      fault="kill -KILL \$(cat $RUN_DIR/redis-$first_redis/redis.pid)"
      recover=$repair ;;
    postgres)
      fault="pg_ctlcluster --skip-systemctl-redirect $pg_version main stop -m fast"
      recover="pg_ctlcluster --skip-systemctl-redirect $pg_version main start" ;;
    tomcat)
      fault="kill -KILL \$(cat $RUN_DIR/node1/tomcat.pid)"
      recover=$repair ;;
    webhooks) fault=true recover=true ;;
    *) fail "unknown drill $drill" ;;
  esac
  say "Drill: $drill ($(cat "$RUN_DIR/topology"))"
  (cd "$ROOT" && java bench/Drill.java "$drill" base="https://127.0.0.1:${NGINX_HTTPS_PORT:-8443}" \
      node1="http://127.0.0.1:${NODE1_PORT:-18081}" node2="http://127.0.0.1:${NODE2_PORT:-18082}" \
      credentials="$RUN_DIR/admin.credentials" outage="$OUTAGE" psql="$psql_cmd" fault="$fault" recover="$recover") \
    || status=1
done
exit $status
