#!/usr/bin/env bash
# Runs ReisTech locally on http://127.0.0.1:${PORT:-8080}: makes sure PostgreSQL and Redis are up
# (installing them from Debian packages when run as root), creates the database, builds the WAR,
# fetches Tomcat from Maven Central, deploys the WAR at / in a private CATALINA_BASE built from
# tomcat-conf/, seeds the "demo" workspace and its administrator, and runs Tomcat in the
# foreground. Ctrl-C stops it cleanly. Safe to run again: nothing is created twice.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"

PORT="${PORT:-8080}"
RUN_DIR="$ROOT/.run/local"
BASE="$RUN_DIR/tomcat"
mkdir -p "$RUN_DIR" && chmod 700 "$RUN_DIR"

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  fail "port $PORT on 127.0.0.1 is already in use (another run?); stop it or choose another with PORT=..."
fi

ensure_build_tools
ensure_postgres
ensure_redis

ensure_secrets "$RUN_DIR"
say "Preparing PostgreSQL role and database 'reistech'"
ensure_role reistech "$(cat "$RUN_DIR/db-password")"
ensure_database reistech reistech

# The administrator of the demo workspace: from the environment, else generated once and kept.
admin_credentials "$RUN_DIR"

say "Building the WAR (mvn package, tests skipped: scripts/test.sh runs them)"
(cd "$ROOT" && mvn -B -q -DskipTests package)

HOME_DIR=$(tomcat_home)
say "Preparing CATALINA_BASE in $BASE from tomcat-conf/"
prepare_catalina_base "$HOME_DIR" "$BASE"
mkdir -p "$RUN_DIR/logs"

# Tuning keys given in the environment pass through (e.g. CACHE_ENABLED=false for a benchmark).
mapfile -t secrets < <(secret_entries "$RUN_DIR")
write_context "$BASE/conf/Catalina/localhost/ROOT.xml" "$ROOT/target/reistech.war" \
  'CACHE_[A-Z_]+|RATE_LIMIT_[A-Z_]+|MEDIA_MAX_BYTES' \
  "DB_URL=jdbc:postgresql://$PG_HOST:$PG_PORT/reistech" \
  DB_USER=reistech \
  "${secrets[@]}" \
  "WHATSAPP_MODE=${WHATSAPP_MODE:-simulated}" \
  "REDIS_ADDRESSES=redis://127.0.0.1:$REDIS_PORT" \
  REDIS_KEY_PREFIX=local \
  "LOG_DIR=$RUN_DIR/logs" \
  "UPLOAD_DIR=$RUN_DIR/uploads" \
  SEED_WORKSPACE=demo \
  "SEED_ADMIN_EMAIL=$admin_email" \
  "SEED_ADMIN_PASSWORD=$admin_password"

export CATALINA_HOME="$HOME_DIR" CATALINA_BASE="$BASE" CATALINA_PID="$RUN_DIR/tomcat.pid"
# tomcat-conf/setenv.sh adds heap, GC, UTF-8 and the rest; the configuration is the descriptor above.
export REISTECH_HEAP=1g REISTECH_ENV_FILE="$RUN_DIR/no-env-file"
export CATALINA_OPTS="-Dreistech.http.address=127.0.0.1 -Dreistech.http.port=$PORT \
 -Dreistech.shutdown.port=-1 -Dreistech.trustedProxies=127\\.0\\.0\\.1"

# Announce the URLs once the application is ready (or say where to look if it never is).
main_pid=$$
(
  for _ in $(seq 1 240); do
    kill -0 "$main_pid" 2>/dev/null || exit 0
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/ready")" = "200" ]; then
      say "ReisTech is ready"
      printf '  API         http://127.0.0.1:%s/api/\n' "$PORT"
      printf '  OpenAPI     http://127.0.0.1:%s/api/openapi.json\n' "$PORT"
      printf '  Health      http://127.0.0.1:%s/health  (also /ready, /alive)\n' "$PORT"
      printf '  Metrics     http://127.0.0.1:%s/metrics  (Prometheus)\n' "$PORT"
      # A password generated now is useless if the database already had its administrator.
      if [ -n "$fresh_credentials" ] && grep -qs "administrator already present" "$RUN_DIR"/logs/combined-*.log; then
        admin_note="Administrator: $admin_email already existed in database reistech with an older password; the one in $credentials does not apply (to start afresh: sudo -u postgres dropdb reistech, then run this again)"
      fi
      printf '  Workspace   demo\n  %s\n' "$admin_note"
      printf '  WhatsApp    %s mode; try: POST /api/dev/whatsapp/inbound {"from":"5511988887777","text":"oi"}\n' "${WHATSAPP_MODE:-simulated}"
      printf '  Logs        %s (Tomcat: %s/logs)\n' "$RUN_DIR/logs" "$BASE"
      printf '  Stop        Ctrl-C\n'
      exit 0
    fi
    sleep 0.5
  done
  printf 'ReisTech did not become ready; see %s/logs and the output above.\n' "$RUN_DIR" >&2
) &

say "Starting Tomcat $TOMCAT_VERSION on http://127.0.0.1:$PORT (foreground; Ctrl-C stops it)"
exec bash "$HOME_DIR/bin/catalina.sh" run
