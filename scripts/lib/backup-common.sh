# Shared by scripts/backup.sh and scripts/restore.sh: settings and the table fingerprint.
# shellcheck shell=bash

# Settings: the environment, then BACKUP_ENV, then REISTECH_ENV_FILE (the application's own
# KEY=value file), read literally; the database is the application's (DB_URL, DB_USER, DB_PASSWORD).
load_settings() {
  local file
  for file in "${BACKUP_ENV:-/etc/reistech/backup.env}" "${REISTECH_ENV_FILE:-/etc/reistech/reistech.env}"; do
    if [ -r "$file" ]; then
      load_env_file "$file"
    fi
  done
  DB_URL="${DB_URL:?set DB_URL (jdbc:postgresql://host:port/database), e.g. in /etc/reistech/reistech.env}"
  local rest="${DB_URL#jdbc:postgresql://}"
  [ "$rest" != "$DB_URL" ] || fail "DB_URL must start with jdbc:postgresql://"
  rest="${rest%%\?*}"
  DB_NAME="${rest#*/}"
  local hostport="${rest%%/*}"
  export PGHOST="${hostport%%:*}"
  export PGPORT="${hostport##*:}"
  [ "$PGPORT" != "$hostport" ] || PGPORT=5432
  export PGUSER="${DB_USER:?set DB_USER}"
  export PGPASSWORD="${DB_PASSWORD:-}"
  export PGCONNECT_TIMEOUT=10
  BACKUP_DIR="${BACKUP_DIR:-/var/backups/reistech}"
  UPLOAD_DIR="${UPLOAD_DIR:-/var/lib/reistech/uploads}"
  LOG_DIR="${LOG_DIR:-/var/log/reistech}"
}

# One line per table of the public schema: name, row count, and an MD5 over the MD5s of its rows
# taken in sorted order (independent of physical order), computed by psql on stdin connection $1.
fingerprint_sql() {
  cat <<'SQL'
select string_agg(format(
  'select %L, count(*), coalesce(md5(string_agg(md5(t::text), '''' order by md5(t::text))), ''-'') from %I.%I t',
  tablename, schemaname, tablename), ' union all ' order by tablename)
from pg_tables where schemaname = 'public'
SQL
}

# Prints the fingerprint of database $1 (tab-separated, sorted), in one transaction.
fingerprint() {
  local query
  query=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$(fingerprint_sql)")
  [ -n "$query" ] || return 0
  psql -X -q -A -t -F $'\t' -v ON_ERROR_STOP=1 -d "$1" -c "$query" | sort
}

# Posts a failure to Slack when SLACK_WEBHOOK_URL is set (never fails itself).
alert_failure() {
  [ -n "${SLACK_WEBHOOK_URL:-}" ] || return 0
  local text=":rotating_light: *backup* failed on $(hostname): $1"
  curl -s --max-time 10 -H 'Content-Type: application/json' \
    -d "{\"text\": \"$(printf '%s' "$text" | sed 's/\\/\\\\/g; s/"/\\"/g')\"}" "$SLACK_WEBHOOK_URL" >/dev/null || true
}
