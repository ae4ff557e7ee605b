#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh, after checking its MANIFEST.sha256.
#
#   scripts/restore.sh BACKUP --verify   restore drill: the database goes into a scratch database,
#                                        whose row counts and checksums must equal the backup's
#                                        (tables.tsv); the scratch database is dropped; production
#                                        is not touched. Exit 0 only when every table matches.
#   scripts/restore.sh BACKUP --yes [--only database,uploads,config]
#                                        restores into production: the database (the current one
#                                        saved first as BACKUP_DIR/before-restore-*.dump, then
#                                        recreated and restored in one transaction; roles first on
#                                        a new server), UPLOAD_DIR (the
#                                        current one kept as UPLOAD_DIR.before-restore-<time>) and the
#                                        configuration files to CONFIG_ROOT (default /; files it
#                                        replaces are kept as *.before-restore-<time>). Stop Tomcat first.
# BACKUP is a backup folder, or "latest" for the newest one in BACKUP_DIR. Settings as backup.sh;
# BACKUP_KEY_FILE decrypts an encrypted configuration. Creating databases needs CREATEDB: set
# RESTORE_DB_USER and RESTORE_DB_PASSWORD (e.g. postgres) when the application's role lacks it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/common.sh
source "$ROOT/scripts/lib/common.sh"
# shellcheck source=lib/backup-common.sh
source "$ROOT/scripts/lib/backup-common.sh"

backup="${1:-}"; shift || true
verify="" yes="" only="database,uploads,config"
while [ $# -gt 0 ]; do
  case "$1" in
    --verify) verify=1; shift ;;
    --yes) yes=1; shift ;;
    --only) only="$2"; shift 2 ;;
    *) fail "unknown option $1" ;;
  esac
done
[ -n "$backup" ] || fail "usage: restore.sh BACKUP|latest (--verify | --yes [--only database,uploads,config])"
load_settings
if [ "$backup" = latest ]; then
  backup=$(find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name 'reistech-*' | sort | tail -1)
  [ -n "$backup" ] || fail "no backup in $BACKUP_DIR"
fi
[ -f "$backup/MANIFEST.sha256" ] || fail "$backup has no MANIFEST.sha256: not a complete backup"

say "Checking $backup against its manifest"
(cd "$backup" && sha256sum --quiet -c MANIFEST.sha256) || fail "$backup does not match its manifest: refusing to restore it"
echo "    every file matches"

compare() {  # compare <database>: its fingerprint against the backup's tables.tsv
  local actual="$1"
  if diff <(fingerprint "$actual") "$backup/tables.tsv" >/dev/null; then
    printf '    %s tables, %s rows: row counts and checksums identical to the backup\n' \
      "$(wc -l <"$backup/tables.tsv")" "$(awk -F'\t' '{ n += $2 } END { print n + 0 }' "$backup/tables.tsv")"
  else
    echo "    MISMATCH between $actual and the backup (table, rows, checksum: < restored, > backup):" >&2
    diff <(fingerprint "$actual") "$backup/tables.tsv" >&2 || true
    return 1
  fi
}

if [ -n "$verify" ]; then
  if [ -n "${RESTORE_DB_USER:-}" ]; then
    export PGUSER="$RESTORE_DB_USER" PGPASSWORD="${RESTORE_DB_PASSWORD:-}"
  fi
  scratch="reistech_verify_$(date -u +%Y%m%d%H%M%S)_$$"
  say "Restore drill: $backup/database.dump into scratch database $scratch"
  psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "create database $scratch"
  trap 'psql -X -q -d postgres -c "drop database if exists $scratch with (force)" >/dev/null 2>&1 || true' EXIT
  pg_restore --no-owner --no-privileges --exit-on-error -d "$scratch" "$backup/database.dump"
  compare "$scratch"
  say "Restore drill passed; $scratch dropped"
  exit 0
fi

[ -n "$yes" ] || fail "restoring into production replaces data: add --yes (or use --verify for a drill)"
stamp=$(date -u +%Y%m%d%H%M%S)
# Creating and dropping databases needs CREATEDB: RESTORE_DB_USER (e.g. postgres) may be another role
# than the application's, which stays the owner of the database and of everything in it.
OWNER="$PGUSER"
if [ -n "${RESTORE_DB_USER:-}" ]; then
  export PGUSER="$RESTORE_DB_USER" PGPASSWORD="${RESTORE_DB_PASSWORD:-}"
fi

if [[ ",$only," == *,database,* ]]; then
  if ! psql -X -q -A -t -d postgres -c "select 1 from pg_roles where rolname = current_user" >/dev/null 2>&1; then
    fail "cannot connect to PostgreSQL as $PGUSER"
  fi
  say "Restoring database $DB_NAME (owner $OWNER, restoring as $PGUSER)"
  role=$(psql -X -q -A -t -d postgres -c "select 1 from pg_roles where rolname = '$OWNER'")
  if [ "$role" != 1 ] && [ -s "$backup/globals.sql" ]; then
    # A new server: the roles come from the backup (errors for ones that exist are expected).
    psql -X -q -d postgres -f "$backup/globals.sql" >/dev/null 2>&1 || true
    echo "    roles created from globals.sql"
  fi
  exists=$(psql -X -q -A -t -d postgres -c "select 1 from pg_database where datname = '$DB_NAME'")
  if [ "$exists" = 1 ]; then
    # The database as it is now is kept: a restore that goes wrong must not lose what was there.
    safety="$BACKUP_DIR/before-restore-$DB_NAME-$stamp.dump"
    pg_dump -Fc -d "$DB_NAME" -f "$safety"
    echo "    the current database is saved as $safety"
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "drop database \"$DB_NAME\" with (force)"
  fi
  # Into a fresh database, in one transaction: no table of a later schema survives, and a failed
  # restore leaves an empty database (the safety dump restores it), never a half-written one.
  psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "create database \"$DB_NAME\" owner \"$OWNER\""
  pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --role="$OWNER" -d "$DB_NAME" \
    "$backup/database.dump"
  compare "$DB_NAME"
fi

if [[ ",$only," == *,uploads,* ]]; then
  say "Restoring uploads into $UPLOAD_DIR"
  if [ -d "$UPLOAD_DIR" ]; then
    mv "$UPLOAD_DIR" "$UPLOAD_DIR.before-restore-$stamp"
    echo "    the current folder is kept as $UPLOAD_DIR.before-restore-$stamp"
  fi
  mkdir -p "$UPLOAD_DIR"
  tar -C "$UPLOAD_DIR" -xzf "$backup/uploads.tar.gz"
  echo "    $(find "$UPLOAD_DIR" -type f | wc -l) files"
fi

if [[ ",$only," == *,config,* ]]; then
  CONFIG_ROOT="${CONFIG_ROOT:-/}"
  say "Restoring configuration under $CONFIG_ROOT"
  staging=$(mktemp -d)
  trap 'rm -rf "$staging"' EXIT
  if [ -f "$backup/config.tar.gz.enc" ]; then
    [ -r "${BACKUP_KEY_FILE:-}" ] || fail "the configuration is encrypted: set BACKUP_KEY_FILE"
    openssl enc -d -aes-256-cbc -pbkdf2 -iter 200000 -pass "file:$BACKUP_KEY_FILE" -in "$backup/config.tar.gz.enc" \
      | tar -C "$staging" -xzf -
  else
    tar -C "$staging" -xzf "$backup/config.tar.gz"
  fi
  (cd "$staging" && find . -type f) | while read -r file; do
    target="$CONFIG_ROOT/${file#./}"
    mkdir -p "$(dirname "$target")"
    if [ -f "$target" ] && ! cmp -s "$staging/$file" "$target"; then
      cp -p "$target" "$target.before-restore-$stamp"
    fi
    cp -p "$staging/$file" "$target"
  done
  echo "    $(cd "$staging" && find . -type f | wc -l) files"
  rm -rf "$staging"
fi
say "Restore complete from $backup"
