#!/usr/bin/env bash
# The deploy checklist as automatic checks against a live installation:
#
#   scripts/preflight.sh https://loja.example.com [--insecure] [--http-url http://loja.example.com]
#
# --insecure accepts a self-signed certificate (a test installation). Run it on the server itself:
# the host checks (secrets, cron, logs, JMX, Tomcat) read these, from the environment or defaults:
#   REISTECH_ENV_FILE (/etc/reistech/reistech.env)  CONTEXT_TEMPLATE (/etc/reistech/context.xml)
#   CATALINA_BASE (/var/lib/tomcat10)  BACKUP_DIR (/var/backups/reistech)  LOG_DIR (/var/log/reistech)
#   CRON_FILES (the crontabs of root, tomcat and reistech, and /etc/cron.d/*)  REPO (this checkout)
#   TOMCAT_USER (tomcat: the log folder must be writable by it)
# Run it as root: the env file, crontabs and backups are readable by root only.
# Prints one PASS, WARN or FAIL line per check with its reason; exits 1 when any check FAILs.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

url="" insecure="" http_url=""
while [ $# -gt 0 ]; do
  case "$1" in
    --insecure) insecure=-k; shift ;;
    --http-url) http_url="$2"; shift 2 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) url="${1%/}"; shift ;;
  esac
done
[[ "$url" == https://* ]] || { echo "usage: preflight.sh https://host[:port] [--insecure] [--http-url URL]" >&2; exit 2; }
if [ -z "$http_url" ]; then
  host="${url#https://}"; host="${host%%/*}"; http_url="http://${host%%:*}"
fi
ENV_FILE="${REISTECH_ENV_FILE:-/etc/reistech/reistech.env}"
CONTEXT_TEMPLATE="${CONTEXT_TEMPLATE:-/etc/reistech/context.xml}"
CATALINA_BASE="${CATALINA_BASE:-/var/lib/tomcat10}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/reistech}"
LOG_DIR="${LOG_DIR:-/var/log/reistech}"
REPO="${REPO:-$ROOT}"

failures=0
row() {
  printf '%-5s %-28s %s\n' "$1" "$2" "$3"
  if [ "$1" = FAIL ]; then failures=$((failures + 1)); fi
}
headers() { curl -s $insecure --max-time 10 -D - -o /dev/null "$@"; }
header() { grep -i "^$1:" | head -1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//'; }
status() { curl -s $insecure --max-time 10 -o /dev/null -w '%{http_code}' "$@"; }
setting() {  # setting KEY: its value in the env file, else in the context template
  local value=""
  [ -r "$ENV_FILE" ] && value=$(sed -n "s/^$1=//p" "$ENV_FILE" | tail -1 | sed "s/^[\"']//; s/[\"']$//")
  if [ -z "$value" ] && [ -r "$CONTEXT_TEMPLATE" ]; then
    value=$(grep -o "name=\"$1\" value=\"[^\"]*\"" "$CONTEXT_TEMPLATE" | sed 's/.*value="//; s/"$//' | tail -1)
  fi
  printf '%s' "$value"
}

printf '%-5s %-28s %s\n' RESULT CHECK REASON

# --- the site, from outside ---
alive=$(status "$url/alive")
if [ "$alive" = 200 ]; then row PASS https "$url/alive answers 200 over TLS"
else row FAIL https "$url/alive answered ${alive:-nothing} (certificate, Nginx or Tomcat down?)"; fi

redirect=$(curl -s --max-time 10 -o /dev/null -w '%{http_code} %{redirect_url}' "$http_url/alive")
if [[ "$redirect" == 301\ https://* ]]; then row PASS http-redirect "$http_url redirects to HTTPS"
else row FAIL http-redirect "$http_url answered '$redirect', not a 301 to https://"; fi

response=$(headers "$url/alive")
hsts=$(header Strict-Transport-Security <<<"$response")
max_age=$(sed -n 's/.*max-age=\([0-9]*\).*/\1/p' <<<"$hsts")
if [ -n "$max_age" ] && [ "$max_age" -ge 31536000 ]; then row PASS hsts "Strict-Transport-Security: $hsts"
else row FAIL hsts "HSTS missing or shorter than a year: '${hsts:-none}'"; fi

missing=()
[ "$(header X-Content-Type-Options <<<"$response")" = nosniff ] || missing+=(X-Content-Type-Options)
[ -n "$(header X-Frame-Options <<<"$response")" ] || missing+=(X-Frame-Options)
[ -n "$(header Content-Security-Policy <<<"$response")" ] || missing+=(Content-Security-Policy)
[ -n "$(header Referrer-Policy <<<"$response")" ] || missing+=(Referrer-Policy)
server=$(header Server <<<"$response")
if [[ "$server" =~ [0-9] ]]; then missing+=("Server header shows a version: $server"); fi
if [ ${#missing[@]} -eq 0 ]; then row PASS security-headers "nosniff, frame options, CSP, referrer policy; no server version"
else row FAIL security-headers "missing: ${missing[*]}"; fi

api=$(headers "$url/api/auth/me")
if [ -n "$(header RateLimit-Policy <<<"$api")" ] && [ -n "$(header RateLimit <<<"$api")" ]; then
  row PASS rate-limiting "RateLimit-Policy: $(header RateLimit-Policy <<<"$api")"
else row FAIL rate-limiting "no RateLimit headers on /api: the rate limiter is off (RATE_LIMIT_ENABLED?)"; fi

ready=$(status "$url/ready")
if [ "$ready" = 200 ]; then row PASS ready "/ready answers 200"; else row FAIL ready "/ready answered $ready"; fi
health=$(curl -s $insecure --max-time 10 "$url/health")
case "$(status "$url/health")" in
  200) row PASS health "$(grep -o '"status":"[a-z]*"' <<<"$health" | head -1)" ;;
  403) row WARN health "/health refused from this address (not an internal network): run preflight on the server" ;;
  *) row FAIL health "/health: $(grep -o '"status":"[a-z]*"' <<<"$health" | head -1)" ;;
esac

# --- the host ---
if [ -r "$ENV_FILE" ]; then
  problems=()
  for key in JWT_SECRET JWT_REFRESH_SECRET; do
    value=$(setting "$key")
    if [ ${#value} -lt 32 ]; then problems+=("$key shorter than 32 bytes"); fi
    if [ "$(printf '%s' "$value" | fold -w1 | sort -u | wc -l)" -lt 8 ]; then problems+=("$key repetitive"); fi
  done
  if [ -n "$(setting JWT_SECRET)" ] && [ "$(setting JWT_SECRET)" = "$(setting JWT_REFRESH_SECRET)" ]; then problems+=("the two are equal"); fi
  perms=$(stat -c '%a' "$ENV_FILE")
  if [[ "$perms" != 600 && "$perms" != 400 && "$perms" != 640 ]]; then problems+=("$ENV_FILE is mode $perms (600 expected)"); fi
  if [ ${#problems[@]} -eq 0 ]; then row PASS jwt-secrets "JWT_SECRET and JWT_REFRESH_SECRET strong, distinct, file mode $perms"
  else row FAIL jwt-secrets "${problems[*]}"; fi
else
  row WARN jwt-secrets "cannot read $ENV_FILE (run as root or Tomcat's user)"
fi

if git -C "$REPO" rev-parse >/dev/null 2>&1; then
  tracked=$(git -C "$REPO" ls-files | grep -E '(^|/)\.env(\.|$)|\.env$' || true)
  if [ -z "$tracked" ]; then row PASS env-not-in-git "no .env file tracked in $REPO"
  else row FAIL env-not-in-git "tracked by git: $(tr '\n' ' ' <<<"$tracked")"; fi
else
  row WARN env-not-in-git "$REPO is not a git checkout"
fi

cron_files="${CRON_FILES:-}"
cron_text=$( { for user in root tomcat reistech; do crontab -l -u "$user" 2>/dev/null; done
               if [ -n "$cron_files" ]; then cat $cron_files 2>/dev/null; else cat /etc/cron.d/* 2>/dev/null; fi; } || true)
if grep -v '^ *#' <<<"$cron_text" | grep -q 'backup\.sh'; then row PASS backup-cron "$(grep -v '^ *#' <<<"$cron_text" | grep -m1 'backup\.sh')"
else row FAIL backup-cron "no cron line runs scripts/backup.sh (docs/operations.md has the 02:00 line)"; fi

latest=$(find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name 'reistech-*' 2>/dev/null | sort | tail -1)
if [ -n "$latest" ] && [ -n "$(find "$latest" -maxdepth 0 -mmin -1560)" ] && [ -f "$latest/MANIFEST.sha256" ]; then
  row PASS backup-recent "$(basename "$latest"), less than 26 hours old"
else row FAIL backup-recent "no complete backup younger than 26 hours in $BACKUP_DIR"; fi

# Writable by Tomcat's user, not by whoever runs this (root may write anywhere).
writable() {
  if [ "$(id -u)" -eq 0 ] && id "${TOMCAT_USER:-tomcat}" >/dev/null 2>&1; then
    runuser -u "${TOMCAT_USER:-tomcat}" -- test -w "$1"
  else
    test -w "$1"
  fi
}
if [ -d "$LOG_DIR" ] && writable "$LOG_DIR"; then
  stale=$(find "$LOG_DIR" -maxdepth 1 -type f -name '*.log*' -mtime +91 | wc -l)
  if [ "$stale" -eq 0 ]; then row PASS logs "$LOG_DIR writable; no log file older than the 90-day retention"
  else row FAIL logs "$stale log files older than 90 days in $LOG_DIR: retention is not running"; fi
else
  row FAIL logs "$LOG_DIR missing or not writable"
fi

jmx=$(ps -eo args 2>/dev/null | grep -E 'org\.apache\.catalina\.startup\.Bootstrap' | grep -v grep || true)
if grep -q 'jmxremote.authenticate=false' <<<"$jmx"; then row FAIL jmx "a Tomcat runs remote JMX without authentication"
elif grep -q 'jmxremote.port' <<<"$jmx"; then row PASS jmx "remote JMX open with authentication"
else row PASS jmx "remote JMX not open"; fi

server_xml="$CATALINA_BASE/conf/server.xml"
if [ -r "$server_xml" ]; then
  if grep -q 'autoDeploy="false"' "$server_xml" && ! grep -q 'autoDeploy="true"' "$server_xml"; then
    row PASS tomcat-autodeploy "autoDeploy=\"false\" in $server_xml"
  else row FAIL tomcat-autodeploy "$server_xml does not set autoDeploy=\"false\" (dropped files would deploy)"; fi
else
  row WARN tomcat-autodeploy "cannot read $server_xml"
fi

level=$(setting LOG_LEVEL | tr '[:lower:]' '[:upper:]')
if [ "$level" = DEBUG ] || [ "$level" = TRACE ]; then row FAIL debug-logging "LOG_LEVEL=$level: debug logging is on"
else row PASS debug-logging "LOG_LEVEL=${level:-INFO}"; fi

echo
if [ "$failures" -gt 0 ]; then echo "preflight: $failures check(s) FAILED"; exit 1; fi
echo "preflight: every check passed"
