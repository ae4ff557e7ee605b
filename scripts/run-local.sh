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

for secret in db-password jwt-secret jwt-refresh-secret; do
  [ -s "$RUN_DIR/$secret" ] || random_secret >"$RUN_DIR/$secret"
  chmod 600 "$RUN_DIR/$secret"
done
[ -s "$RUN_DIR/whatsapp-secrets-key" ] || head -c 32 /dev/urandom | base64 >"$RUN_DIR/whatsapp-secrets-key"
chmod 600 "$RUN_DIR/whatsapp-secrets-key"
say "Preparing PostgreSQL role and database 'reistech'"
ensure_role reistech "$(cat "$RUN_DIR/db-password")"
ensure_database reistech reistech

# The administrator of the demo workspace: from the environment, else generated once and kept.
credentials="$RUN_DIR/admin.credentials"
admin_note=""
fresh_credentials=""
if [ -n "${REISTECH_ADMIN_EMAIL:-}" ] && [ -n "${REISTECH_ADMIN_PASSWORD:-}" ]; then
  admin_email=$REISTECH_ADMIN_EMAIL
  admin_password=$REISTECH_ADMIN_PASSWORD
  admin_note="Administrator: $admin_email (password from REISTECH_ADMIN_PASSWORD)"
elif [ -s "$credentials" ]; then
  admin_email=$(sed -n 1p "$credentials")
  admin_password=$(sed -n 2p "$credentials")
  admin_note="Administrator: $admin_email (password printed on the first run; also in $credentials)"
else
  admin_email=${REISTECH_ADMIN_EMAIL:-admin@demo.local}
  admin_password=$(random_secret)
  printf '%s\n%s\n' "$admin_email" "$admin_password" >"$credentials"
  chmod 600 "$credentials"
  admin_note="Administrator: $admin_email  password: $admin_password  (shown once; kept in $credentials)"
  fresh_credentials=1
fi

say "Building the WAR (mvn package, tests skipped: scripts/test.sh runs them)"
(cd "$ROOT" && mvn -B -q -DskipTests package)

HOME_DIR=$(tomcat_home)
say "Preparing CATALINA_BASE in $BASE from tomcat-conf/"
mkdir -p "$BASE"/{conf/Catalina/localhost,logs,temp,work,webapps} "$RUN_DIR/logs"
for file in web.xml catalina.properties logging.properties context.xml; do
  cp "$HOME_DIR/conf/$file" "$BASE/conf/$file"
done
cp "$ROOT/tomcat-conf/server.xml" "$BASE/conf/server.xml"
mkdir -p "$BASE/bin" && cp "$ROOT/tomcat-conf/setenv.sh" "$BASE/bin/setenv.sh"
printf '<tomcat-users xmlns="http://tomcat.apache.org/xml" version="1.0"/>\n' >"$BASE/conf/tomcat-users.xml"
rm -rf "$BASE/webapps/ROOT" "$BASE/work/Catalina"

entry() { printf '  <Environment name="%s" value="%s" type="java.lang.String" override="false"/>\n' "$1" "$(xml_escape "$2")"; }
descriptor="$BASE/conf/Catalina/localhost/ROOT.xml"
umask 077
{
  printf '<Context docBase="%s">\n' "$ROOT/target/reistech.war"
  entry DB_URL "jdbc:postgresql://$PG_HOST:$PG_PORT/reistech"
  entry DB_USER reistech
  entry DB_PASSWORD "$(cat "$RUN_DIR/db-password")"
  entry JWT_SECRET "$(cat "$RUN_DIR/jwt-secret")"
  entry JWT_REFRESH_SECRET "$(cat "$RUN_DIR/jwt-refresh-secret")"
  entry WHATSAPP_MODE "${WHATSAPP_MODE:-simulated}"
  entry WHATSAPP_SECRETS_KEY "$(cat "$RUN_DIR/whatsapp-secrets-key")"
  entry REDIS_ADDRESSES "redis://127.0.0.1:$REDIS_PORT"
  entry REDIS_KEY_PREFIX "local"
  entry LOG_DIR "$RUN_DIR/logs"
  entry UPLOAD_DIR "$RUN_DIR/uploads"
  # Tuning keys given in the environment pass through (e.g. CACHE_ENABLED=false for a benchmark).
  for key in $(compgen -e | grep -E '^(CACHE_[A-Z_]+|RATE_LIMIT_[A-Z_]+|MEDIA_MAX_BYTES)$' || true); do
    entry "$key" "${!key}"
  done
  entry SEED_WORKSPACE demo
  entry SEED_ADMIN_EMAIL "$admin_email"
  entry SEED_ADMIN_PASSWORD "$admin_password"
  printf '</Context>\n'
} >"$descriptor"
umask 022

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
