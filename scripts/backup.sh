#!/usr/bin/env bash
# Backs up a ReisTech installation into BACKUP_DIR/reistech-<UTC time>/:
#   database.dump   pg_dump -Fc of the database (DB_URL, DB_USER, DB_PASSWORD: the application's)
#   globals.sql     roles and tablespaces (pg_dumpall --globals-only; without passwords if not superuser)
#   tables.tsv      each table's row count and checksum, from the same snapshot as the dump
#   uploads.tar.gz  UPLOAD_DIR
#   config.tar.gz[.enc]  CONFIG_PATHS (/etc/reistech, /etc/tomcat10, setenv.sh, the Nginx site;
#                   symbolic links followed); encrypted with BACKUP_KEY_FILE (openssl AES-256,
#                   PBKDF2) when given, else files holding secrets are left out and a warning says
#                   so. Keep a copy of the key OFF this server: without it the configuration of a
#                   lost server cannot be decrypted.
#   logs.tar.gz     LOG_DIR's files of the last 7 days
#   MANIFEST.sha256 SHA-256 of every file above; restore.sh checks it before anything else
# A backup is written under a temporary name and renamed when complete: a folder named
# reistech-<time> is always whole. Then backups older than RETENTION_DAYS (14) are deleted, and the
# new one is copied to s3://$S3_BUCKET/reistech/ when S3_BUCKET is set and the AWS CLI is installed.
# Any failure: exit non-zero and a Slack alert (SLACK_WEBHOOK_URL). Run as root (it reads the
# secrets and Tomcat's configuration); cron, every day at 02:00, in /etc/cron.d/reistech-backup:
#   0 2 * * * root /opt/reistech/scripts/backup.sh >>/var/log/reistech/backup.log 2>&1
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/common.sh
source "$ROOT/scripts/lib/common.sh"
# shellcheck source=lib/backup-common.sh
source "$ROOT/scripts/lib/backup-common.sh"

trap 'status=$?; if [ $status -ne 0 ]; then alert_failure "exit $status at line $LINENO"; fi' EXIT
load_settings
RETENTION_DAYS="${RETENTION_DAYS:-14}"
CONFIG_PATHS="${CONFIG_PATHS:-/etc/reistech /etc/tomcat10 ${CATALINA_BASE:-/var/lib/tomcat10}/bin/setenv.sh /etc/nginx/sites-enabled/reistech.conf}"
for tool in pg_dump pg_dumpall psql sha256sum tar gzip; do
  command -v "$tool" >/dev/null || fail "$tool is needed (Debian: apt-get install postgresql-client coreutils tar gzip)"
done

name="reistech-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$BACKUP_DIR"
chmod 700 "$BACKUP_DIR"
partial="$BACKUP_DIR/.$name.partial"
rm -rf "$partial"; mkdir -m 700 "$partial"

say "Backing up database $DB_NAME on $PGHOST:$PGPORT"
# One repeatable-read transaction exports its snapshot: the dump and the fingerprint see the same data.
coproc SNAPSHOT { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB_NAME"; }
echo "begin isolation level repeatable read read only; select pg_export_snapshot();" >&"${SNAPSHOT[1]}"
read -r snapshot <&"${SNAPSHOT[0]}"
[ -n "$snapshot" ] || fail "could not open a snapshot of $DB_NAME"
pg_dump -Fc --snapshot="$snapshot" -d "$DB_NAME" -f "$partial/database.dump"
query=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB_NAME" -c "$(fingerprint_sql)")
if [ -n "$query" ]; then
  psql -X -q -A -t -F $'\t' -v ON_ERROR_STOP=1 -d "$DB_NAME" \
    -c "begin isolation level repeatable read read only" -c "set transaction snapshot '$snapshot'" -c "$query" -c "commit" \
    | sort >"$partial/tables.tsv"
fi
echo "commit;" >&"${SNAPSHOT[1]}"
exec {SNAPSHOT[1]}>&-
wait "$SNAPSHOT_PID" || true
printf '    %s tables, %s rows\n' "$(wc -l <"$partial/tables.tsv")" "$(awk -F'\t' '{ n += $2 } END { print n + 0 }' "$partial/tables.tsv")"

say "Backing up roles (globals)"
if ! pg_dumpall --globals-only -l "$DB_NAME" -f "$partial/globals.sql" 2>/dev/null; then
  pg_dumpall --globals-only --no-role-passwords -l "$DB_NAME" -f "$partial/globals.sql"
  echo "    (without role passwords: $PGUSER is not a superuser)"
fi

say "Backing up uploads from $UPLOAD_DIR"
if [ -d "$UPLOAD_DIR" ]; then
  tar -C "$UPLOAD_DIR" -czf "$partial/uploads.tar.gz" .
else
  echo "    $UPLOAD_DIR does not exist: nothing to back up"
  tar -czf "$partial/uploads.tar.gz" -T /dev/null
fi

say "Backing up configuration"
present=()
for path in $CONFIG_PATHS; do
  [ -e "$path" ] && present+=("${path#/}")
done
if [ -n "${BACKUP_KEY_FILE:-}" ]; then
  [ -r "$BACKUP_KEY_FILE" ] || fail "cannot read BACKUP_KEY_FILE=$BACKUP_KEY_FILE"
  tar -C / -h -czf - "${present[@]}" \
    | openssl enc -aes-256-cbc -pbkdf2 -iter 200000 -salt -pass "file:$BACKUP_KEY_FILE" -out "$partial/config.tar.gz.enc"
  printf '    %s paths, encrypted\n' "${#present[@]}"
else
  tar -C / -h -czf "$partial/config.tar.gz" --exclude='*.env' --exclude='*password*' --exclude='*.key' \
    --exclude='*.pem' --exclude='*.p12' --exclude='*.jks' --exclude='tomcat-users.xml' --exclude='ROOT##*.xml' "${present[@]}"
  printf '    %s paths; WARNING: no BACKUP_KEY_FILE, so files holding secrets (*.env, *password*, keys, keystores,\n' "${#present[@]}"
  printf '    tomcat-users.xml, context descriptors) were left out\n'
fi

say "Backing up logs of the last 7 days from $LOG_DIR"
if [ -d "$LOG_DIR" ]; then
  (cd "$LOG_DIR" && find . -maxdepth 1 -type f -mtime -7 -print0 | tar --null -czf "$partial/logs.tar.gz" -T -)
else
  tar -czf "$partial/logs.tar.gz" -T /dev/null
fi

(cd "$partial" && sha256sum -- * >MANIFEST.sha256)
mv "$partial" "$BACKUP_DIR/$name"
say "Backup complete: $BACKUP_DIR/$name ($(du -sh "$BACKUP_DIR/$name" | cut -f1))"

say "Retention: deleting backups older than $RETENTION_DAYS days"
find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name 'reistech-*' -mtime +"$((RETENTION_DAYS - 1))" -print -exec rm -rf {} +
find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '.reistech-*.partial' -mmin +720 -exec rm -rf {} +

if [ -n "${S3_BUCKET:-}" ]; then
  command -v aws >/dev/null || fail "S3_BUCKET is set but the AWS CLI is not installed"
  say "Copying to s3://$S3_BUCKET/reistech/$name/"
  aws s3 cp --recursive --only-show-errors "$BACKUP_DIR/$name" "s3://$S3_BUCKET/reistech/$name/"
fi
echo "$BACKUP_DIR/$name"
