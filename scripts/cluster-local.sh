#!/usr/bin/env bash
# Runs a two-node ReisTech cluster on loopback, in the background, everything under .run/cluster/:
# Nginx (self-signed TLS, HTTP/2, the site of nginx/reistech.conf) in front of two Tomcat nodes
# running the same WAR (and, at /bench-baseline, the benchmark's baseline servlet), one PostgreSQL
# database (reistech_cluster), and Redis started here: one server (single) or a Redis Cluster of
# three masters, from the Debian redis-server binary, on ports of their own.
#
#   scripts/cluster-local.sh [--redis single|cluster] [--no-build]   start (builds the WAR unless --no-build)
#   scripts/cluster-local.sh --status                                what runs
#   scripts/cluster-local.sh --repair                                starts again any part that stopped
#                                                                    (a killed node or Redis: the fault drills)
#   scripts/cluster-local.sh --stop                                  stop what it started
#
# Environment (defaults): NGINX_HTTPS_PORT (8443), NGINX_HTTP_PORT (8081), NODE1_PORT (18081),
# NODE2_PORT (18082), REDIS_SINGLE_PORT (17000), REDIS_CLUSTER_PORTS ("17001 17002 17003"), REISTECH_HEAP (512m per node),
# REISTECH_GC (setenv.sh's parallel collector; -XX:+UseG1GC for G1),
# NODE1_CPUS / NODE2_CPUS (a taskset -c list pinning that node's JVM), FLOOD_RATE / FLOOD_BURST
# (Nginx's flood guard per client address, 50r/s and 100), READY_TIMEOUT (300 s), WHATSAPP_MODE
# (simulated); CACHE_*, RATE_LIMIT_*, WEBHOOK_*, WHATSAPP_*, MEDIA_MAX_BYTES and DB_POOL_SIZE pass through to both
# nodes (e.g. RATE_LIMIT_API=1000000/10/0 for a benchmark).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"

action=start redis_mode=single build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --redis) redis_mode=${2:-}; shift 2 || fail "--redis needs single or cluster" ;;
    --no-build) build=""; shift ;;
    --stop) action=stop; shift ;;
    --status) action=status; shift ;;
    --repair) action=repair; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) fail "unknown option $1 (see --help)" ;;
  esac
done
case "$redis_mode" in single|cluster) ;; *) fail "--redis takes single or cluster, not '$redis_mode'" ;; esac

RUN_DIR="$ROOT/.run/cluster"
NGINX_DIR="$RUN_DIR/nginx"
NGINX_HTTPS_PORT="${NGINX_HTTPS_PORT:-8443}"
NGINX_HTTP_PORT="${NGINX_HTTP_PORT:-8081}"
NODE_PORTS=("${NODE1_PORT:-18081}" "${NODE2_PORT:-18082}")
NODE_CPUS=("${NODE1_CPUS:-}" "${NODE2_CPUS:-}")
READY_TIMEOUT="${READY_TIMEOUT:-300}"
NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)
nginx_cmd=("$NGINX_BIN" -p "$NGINX_DIR/" -e "$NGINX_DIR/error.log" -c "$NGINX_DIR/nginx.conf")

# pid_of FILE PATTERN: the pid in FILE if that process runs and its command line has PATTERN.
pid_of() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF -- "$2" && echo "$pid"
}
node_pid() { pid_of "$RUN_DIR/node$1/tomcat.pid" "-Dcatalina.base=$RUN_DIR/node$1 "; }
nginx_pid() { pid_of "$NGINX_DIR/nginx.pid" "$NGINX_DIR/nginx.conf"; }
redis_pid() { pid_of "$RUN_DIR/redis-$1/redis.pid" "redis-server 127.0.0.1:$1"; }
# The Redis ports of the running cluster (recorded at start), else those configured.
redis_ports() { cat "$RUN_DIR/redis-ports" 2>/dev/null || echo "${REDIS_SINGLE_PORT:-17000} ${REDIS_CLUSTER_PORTS:-17001 17002 17003}"; }

# start_redis_server PORT single|cluster: one redis-server in $RUN_DIR/redis-PORT (a cluster node
# keeps its identity and slots in nodes.conf there, so a restarted one rejoins); nothing on disk.
start_redis_server() {
  local dir="$RUN_DIR/redis-$1" extra=()
  mkdir -p "$dir"
  [ "$2" = cluster ] && extra=(--cluster-enabled yes --cluster-config-file nodes.conf)
  redis-server --daemonize yes --bind 127.0.0.1 --port "$1" --dir "$dir" "${extra[@]}" --save "" --appendonly no \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
  for _ in $(seq 1 40); do
    [ "$(redis-cli -p "$1" ping 2>/dev/null)" = PONG ] && return
    sleep 0.25
  done
  fail "redis-server on 127.0.0.1:$1 did not answer (see $dir/redis.log)"
}

# start_node N: starts node N's Tomcat in the background from its prepared CATALINA_BASE.
start_node() {
  local n=$1 pin=()
  [ -n "${NODE_CPUS[n-1]}" ] && pin=(taskset -c "${NODE_CPUS[n-1]}")
  say "Starting node $n (Tomcat $TOMCAT_VERSION, heap ${REISTECH_HEAP:-512m}${pin:+, CPUs ${NODE_CPUS[n-1]}})"
  (
    export CATALINA_HOME="$(tomcat_home)" CATALINA_BASE="$RUN_DIR/node$n" CATALINA_PID="$RUN_DIR/node$n/tomcat.pid"
    export REISTECH_HEAP="${REISTECH_HEAP:-512m}" REISTECH_ENV_FILE="$RUN_DIR/no-env-file"
    export CATALINA_OPTS="-Dreistech.http.address=127.0.0.1 -Dreistech.http.port=${NODE_PORTS[n-1]} \
 -Dreistech.shutdown.port=-1 -Dreistech.trustedProxies=127\\.0\\.0\\.1 ${NODE_JAVA_OPTS:-}"
    "${pin[@]}" bash "$CATALINA_HOME/bin/catalina.sh" start >/dev/null
  )
}

# wait_ready N: waits for node N's /ready 200 (READY_TIMEOUT); on failure, stops everything.
wait_ready() {
  local n=$1 deadline=$(( $(date +%s) + READY_TIMEOUT ))
  until [ "$(http_code "http://127.0.0.1:${NODE_PORTS[n-1]}/ready")" = 200 ]; do
    if ! node_pid "$n" >/dev/null || [ "$(date +%s)" -ge "$deadline" ]; then
      tail -n 20 "$RUN_DIR/node$n/logs/catalina.out" >&2 || true
      stop_all
      fail "node $n never answered /ready 200: see $RUN_DIR/node$n/logs/catalina.out and $RUN_DIR/node$n/applogs/"
    fi
    sleep 1
  done
  printf '    node %s is ready\n' "$n"
}
http_code() { curl -sk -o /dev/null -w '%{http_code}' --max-time 5 "$1" || true; }

# stop_pid NAME PID SIGNAL: signals it and waits up to 30 s for it to end, then kills it.
stop_pid() {
  say "Stopping $1 (pid $2)"
  kill "-$3" "$2" 2>/dev/null || return 0
  for _ in $(seq 1 60); do
    kill -0 "$2" 2>/dev/null || return 0
    sleep 0.5
  done
  printf '    %s did not end in 30 s: killing it\n' "$1"
  kill -KILL "$2" 2>/dev/null || true
}

stop_all() {
  local n pid port stopped=""
  if pid=$(nginx_pid); then stop_pid Nginx "$pid" QUIT; stopped=1; fi
  rm -f "$NGINX_DIR/nginx.pid"
  for n in 1 2; do
    # The JVM's shutdown hook stops Tomcat cleanly (the shutdown port is disabled).
    if pid=$(node_pid "$n"); then stop_pid "node $n" "$pid" TERM; stopped=1; fi
    rm -f "$RUN_DIR/node$n/tomcat.pid"
  done
  for port in $(redis_ports); do
    if pid=$(redis_pid "$port"); then stop_pid "redis-server 127.0.0.1:$port" "$pid" TERM; stopped=1; fi
    rm -rf "${RUN_DIR:?}/redis-$port"
  done
  rm -f "$RUN_DIR/redis-ports" "$RUN_DIR/topology"
  [ -n "$stopped" ] || say "Nothing of the local cluster was running"
}

status() {
  local n pid port running=""
  printf 'Redis: %s\n' "$(cat "$RUN_DIR/topology" 2>/dev/null || echo 'not started')"
  for port in $(redis_ports); do
    if pid=$(redis_pid "$port"); then printf '  redis-server 127.0.0.1:%s  pid %s\n' "$port" "$pid"; running=1; fi
  done
  for n in 1 2; do
    if pid=$(node_pid "$n"); then
      printf 'node %s  http://127.0.0.1:%s/  pid %s  /ready %s\n' "$n" "${NODE_PORTS[n-1]}" "$pid" \
        "$(http_code "http://127.0.0.1:${NODE_PORTS[n-1]}/ready")"
      running=1
    else
      printf 'node %s  not running\n' "$n"
    fi
  done
  if pid=$(nginx_pid); then
    printf 'Nginx   https://127.0.0.1:%s/  pid %s  /alive %s\n' "$NGINX_HTTPS_PORT" "$pid" \
      "$(http_code "https://127.0.0.1:$NGINX_HTTPS_PORT/alive")"
    running=1
  else
    printf 'Nginx   not running\n'
  fi
  [ -n "$running" ]
}

repair() {
  local port n mode
  [ -s "$RUN_DIR/topology" ] || fail "the local cluster was not started (nothing to repair)"
  mode=$(cut -d: -f1 "$RUN_DIR/topology")
  for port in $(redis_ports); do
    redis_pid "$port" >/dev/null || { say "Starting redis-server 127.0.0.1:$port again"; start_redis_server "$port" "$mode"; }
  done
  if [ "$mode" = cluster ]; then
    # Every master must see the cluster whole again before the nodes are trusted with it.
    for port in $(redis_ports); do
      for _ in $(seq 1 120); do
        redis-cli -p "$port" cluster info | grep -q '^cluster_state:ok' && break
        sleep 0.5
      done
    done
  fi
  for n in 1 2; do
    node_pid "$n" >/dev/null || start_node "$n"
  done
  for n in 1 2; do wait_ready "$n"; done
  nginx_pid >/dev/null || fail "Nginx is not running: $0 --stop, then start again"
}

case "$action" in
  stop) stop_all; exit 0 ;;
  status) status; exit $? ;;
  repair) repair; exit 0 ;;
esac

# ---- start ----
mkdir -p "$RUN_DIR" && chmod 700 "$RUN_DIR"
if status >/dev/null; then
  fail "the local cluster already runs ($0 --status shows it); stop it first with: $0 --stop"
fi
ports=("$NGINX_HTTPS_PORT" "$NGINX_HTTP_PORT" "${NODE_PORTS[@]}")
if [ "$redis_mode" = cluster ]; then
  for port in ${REDIS_CLUSTER_PORTS:-17001 17002 17003}; do ports+=("$port" "$((port + 10000))"); done
else
  ports+=("${REDIS_SINGLE_PORT:-17000}")
fi
for port in "${ports[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "port $port on 127.0.0.1 is already in use; choose others (see $0 --help)"
  fi
done

ensure_build_tools
ensure_postgres
command -v redis-server >/dev/null && command -v redis-cli >/dev/null || apt_install redis-server
ensure_nginx
if [ -n "${NODE1_CPUS:-}${NODE2_CPUS:-}" ]; then command -v taskset >/dev/null || apt_install util-linux; fi

ensure_secrets "$RUN_DIR"
say "Preparing PostgreSQL role and database 'reistech_cluster'"
ensure_role reistech_cluster "$(cat "$RUN_DIR/db-password")"
ensure_database reistech_cluster reistech_cluster
admin_credentials "$RUN_DIR"

if [ -n "$build" ]; then
  say "Building the WAR (mvn package, tests skipped)"
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi
[ -f "$ROOT/target/reistech.war" ] || fail "no target/reistech.war: run without --no-build"
# The nodes run this copy: rebuilding target/ does not change them.
cp "$ROOT/target/reistech.war" "$RUN_DIR/reistech.war"
# The benchmark's yardstick (bench/run.sh baseline), deployed beside the application on each node.
"$ROOT/bench/baseline/build.sh" "$(tomcat_home)" "$RUN_DIR/bench-baseline.war"

if [ "$redis_mode" = single ]; then
  port=${REDIS_SINGLE_PORT:-17000}
  echo "$port" >"$RUN_DIR/redis-ports"
  say "Starting Redis on 127.0.0.1:$port"
  rm -rf "$RUN_DIR/redis-$port"
  start_redis_server "$port" single
  redis_addresses="redis://127.0.0.1:$port"
  topology="single: one Redis on 127.0.0.1:$port, keys prefixed cluster:"
else
  cluster_ports=(${REDIS_CLUSTER_PORTS:-17001 17002 17003})
  echo "${cluster_ports[*]}" >"$RUN_DIR/redis-ports"
  say "Starting a Redis Cluster of ${#cluster_ports[@]} masters on 127.0.0.1:${cluster_ports[*]}"
  seeds=() redis_addresses=""
  for port in "${cluster_ports[@]}"; do
    rm -rf "$RUN_DIR/redis-$port"
    start_redis_server "$port" cluster
    seeds+=("127.0.0.1:$port")
    redis_addresses+="${redis_addresses:+,}redis://127.0.0.1:$port"
  done
  redis-cli --cluster create "${seeds[@]}" --cluster-replicas 0 --cluster-yes >"$RUN_DIR/redis-cluster-create.log" 2>&1 \
    || { cat "$RUN_DIR/redis-cluster-create.log" >&2; stop_all; fail "redis-cli --cluster create failed"; }
  for _ in $(seq 1 40); do
    redis-cli -p "${cluster_ports[0]}" cluster info | grep -q '^cluster_state:ok' && break
    sleep 0.25
  done
  redis-cli -p "${cluster_ports[0]}" cluster info | grep -q '^cluster_state:ok' \
    || { stop_all; fail "the Redis Cluster did not reach cluster_state:ok (see $RUN_DIR/redis-*/redis.log)"; }
  topology="cluster: ${#cluster_ports[@]} masters on $redis_addresses, keys prefixed cluster:"
fi
echo "$topology" >"$RUN_DIR/topology"

HOME_DIR=$(tomcat_home)
mapfile -t secrets < <(secret_entries "$RUN_DIR")
mkdir -p "$RUN_DIR/uploads"
for n in 1 2; do
  base="$RUN_DIR/node$n"
  say "Preparing node $n: CATALINA_BASE $base, port ${NODE_PORTS[n-1]}"
  prepare_catalina_base "$HOME_DIR" "$base"
  mkdir -p "$base/applogs"
  # Only node 1 seeds the demo workspace (two nodes seeding at once would race).
  seed=()
  [ "$n" = 1 ] && seed=(SEED_WORKSPACE=demo "SEED_ADMIN_EMAIL=$admin_email" "SEED_ADMIN_PASSWORD=$admin_password")
  write_context "$base/conf/Catalina/localhost/ROOT.xml" "$RUN_DIR/reistech.war" \
    'CACHE_[A-Z_]+|RATE_LIMIT_[A-Z_]+|WEBHOOK_[A-Z_]+|WHATSAPP_[A-Z_]+|MEDIA_MAX_BYTES|DB_POOL_SIZE' \
    "DB_URL=jdbc:postgresql://$PG_HOST:$PG_PORT/reistech_cluster" \
    DB_USER=reistech_cluster \
    "${secrets[@]}" \
    "WHATSAPP_MODE=${WHATSAPP_MODE:-simulated}" \
    "REDIS_MODE=$redis_mode" \
    "REDIS_ADDRESSES=$redis_addresses" \
    REDIS_KEY_PREFIX=cluster \
    "LOG_DIR=$base/applogs" \
    "UPLOAD_DIR=$RUN_DIR/uploads" \
    "${seed[@]}"
  printf '<Context docBase="%s"/>\n' "$RUN_DIR/bench-baseline.war" >"$base/conf/Catalina/localhost/bench-baseline.xml"
  start_node "$n"
done

say "Starting Nginx on https://127.0.0.1:$NGINX_HTTPS_PORT (HTTP/2) and http://127.0.0.1:$NGINX_HTTP_PORT"
mkdir -p "$NGINX_DIR"/{sites,logs,tmp,acme}
if [ ! -s "$NGINX_DIR/cert.pem" ] || [ ! -s "$NGINX_DIR/key.pem" ]; then
  (umask 077; openssl req -x509 -newkey rsa:2048 -nodes -days 365 -keyout "$NGINX_DIR/key.pem" \
    -out "$NGINX_DIR/cert.pem" -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null)
fi
upstreams=""
for port in "${NODE_PORTS[@]}"; do
  upstreams+="${upstreams:+\\n}server 127.0.0.1:$port max_fails=3 fail_timeout=10s;"
done
cat >"$NGINX_DIR/site.vars" <<EOF
SERVER_NAME=localhost
HTTP_PORT=$NGINX_HTTP_PORT
HTTPS_PORT=$NGINX_HTTPS_PORT
UPSTREAMS=$upstreams
CERT=$NGINX_DIR/cert.pem
KEY=$NGINX_DIR/key.pem
ACME_ROOT=$NGINX_DIR/acme
MAX_BODY=17m
INTERNAL=allow 127.0.0.0/8;
LOG_DIR=$NGINX_DIR/logs
FLOOD_RATE=${FLOOD_RATE:-50r/s}
FLOOD_BURST=${FLOOD_BURST:-100}
EOF
render_site "$ROOT/nginx/reistech.conf" "$NGINX_DIR/site.vars" "$NGINX_DIR/sites/reistech.conf"
# Its own main configuration: pid, logs and temporary files under $NGINX_DIR.
render_site "$ROOT/nginx/standalone.conf" /dev/null "$NGINX_DIR/nginx.conf" "DIR=$NGINX_DIR" \
  "USER=$(is_root && echo 'user root;')" WORKER_CONNECTIONS=4096
# Its warnings (no OCSP stapling for a self-signed certificate) go to start.log.
"${nginx_cmd[@]}" -t 2>"$NGINX_DIR/start.log" \
  || { cat "$NGINX_DIR/start.log" >&2; stop_all; fail "nginx -t refused $NGINX_DIR/nginx.conf"; }
"${nginx_cmd[@]}" 2>>"$NGINX_DIR/start.log" || { cat "$NGINX_DIR/start.log" >&2; stop_all; fail "Nginx did not start"; }

say "Waiting up to ${READY_TIMEOUT}s for /ready 200 on both nodes"
for n in 1 2; do wait_ready "$n"; done
[ "$(http_code "https://127.0.0.1:$NGINX_HTTPS_PORT/ready")" = 200 ] \
  || { stop_all; fail "Nginx does not answer https://127.0.0.1:$NGINX_HTTPS_PORT/ready with 200: see $NGINX_DIR/error.log"; }

# A password generated now is useless if the database already had its administrator.
if [ -n "$fresh_credentials" ] && grep -qs "administrator already present" "$RUN_DIR"/node1/applogs/combined-*.log; then
  admin_note="Administrator: $admin_email already existed in database reistech_cluster with an older password; the one in $credentials does not apply (to start afresh: $0 --stop; sudo -u postgres dropdb reistech_cluster; then run this again)"
fi
say "The local cluster is ready"
printf '  Nginx       https://127.0.0.1:%s/  (self-signed: curl --cacert %s, or -k; HTTP/2)\n' "$NGINX_HTTPS_PORT" "$NGINX_DIR/cert.pem"
printf '              http://127.0.0.1:%s/ redirects to HTTPS; flood guard %s burst %s per address\n' \
  "$NGINX_HTTP_PORT" "${FLOOD_RATE:-50r/s}" "${FLOOD_BURST:-100}"
for n in 1 2; do
  printf '  node %s      http://127.0.0.1:%s/  (logs %s/node%s/logs, %s/node%s/applogs)\n' "$n" "${NODE_PORTS[n-1]}" "$RUN_DIR" "$n" "$RUN_DIR" "$n"
done
printf '  Redis       %s\n' "$topology"
printf '  Database    reistech_cluster on %s:%s\n' "$PG_HOST" "$PG_PORT"
printf '  Workspace   demo\n  %s\n' "$admin_note"
printf '  WhatsApp    %s mode; try: POST /api/dev/whatsapp/inbound {"from":"5511988887777","text":"oi"}\n' "${WHATSAPP_MODE:-simulated}"
printf '  Status      %s --status\n  Stop        %s --stop\n' "$0" "$0"
