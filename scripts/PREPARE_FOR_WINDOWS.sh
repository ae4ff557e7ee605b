#!/usr/bin/env bash
# Prepares this checkout for work under Windows' WSL (Ubuntu or Debian):
#  1. backs up first: a tar.gz of the checkout's untracked and ignored files (.run/, local
#     configuration, logs) into ~/reistech-wsl-backup-<time>.tar.gz, and, when a local run's
#     database exists, a pg_dump of it next to it;
#  2. optional clean-up of build output and local run folders (target/, .run/) after asking, or
#     at once with --yes; never without the backup of step 1;
#  3. shell aliases for the common commands in ~/.bash_aliases (rt-run, rt-test, rt-logs,
#     rt-health, rt-backup), added once.
# WSL notes: keep the checkout inside the Linux file system (~/...), not under /mnt/c: builds there
# are many times slower and file modes (chmod 600 secrets) are not kept.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/common.sh
source "$ROOT/scripts/lib/common.sh"

yes=""
[ "${1:-}" = "--yes" ] && yes=1
if grep -qi microsoft /proc/version 2>/dev/null; then say "WSL detected"; else say "Not WSL: the steps are harmless here too"; fi
case "$ROOT" in /mnt/*) printf 'WARNING: %s is on the Windows file system; move the checkout to ~/ for speed and file modes\n' "$ROOT" ;; esac

stamp=$(date -u +%Y%m%dT%H%M%SZ)
backup="$HOME/reistech-wsl-backup-$stamp.tar.gz"
say "1. Backing up untracked and ignored files to $backup"
listing=$(mktemp)
(cd "$ROOT" && git ls-files --others --ignored --exclude-standard --directory -z | { grep -zv '^target/' || true; }) >"$listing" \
  || fail "cannot list the checkout's untracked files: nothing is deleted"
tar -C "$ROOT" --null -czf "$backup" -T "$listing" || fail "the backup $backup failed: nothing is deleted"
rm -f "$listing"
printf '    %s, %s entries\n' "$(du -h "$backup" | cut -f1)" "$(tar -tzf "$backup" | wc -l)"
if command -v pg_dump >/dev/null && psql -X -q -A -t -h 127.0.0.1 -d reistech -c 'select 1' >/dev/null 2>&1; then
  pg_dump -Fc -h 127.0.0.1 -d reistech -f "$HOME/reistech-wsl-backup-$stamp.dump"
  printf '    database reistech dumped to %s\n' "$HOME/reistech-wsl-backup-$stamp.dump"
fi

say "2. Clean-up of target/ and .run/ (build output and local runs)"
answer=n
if [ -n "$yes" ]; then
  answer=y
elif [ -t 0 ]; then
  read -r -p "    Delete them now (the backup above is kept)? [y/N] " answer
fi
if [[ "$answer" =~ ^[yY] ]]; then
  rm -rf "$ROOT/target" "$ROOT/.run"
  echo "    deleted"
else
  echo "    kept"
fi

say "3. Shell aliases in ~/.bash_aliases"
aliases="$HOME/.bash_aliases"
touch "$aliases"
if ! grep -q '# reistech aliases' "$aliases"; then
  root=$(printf '%q' "$ROOT")
  {
    echo "# reistech aliases"
    echo "alias rt-run=$(printf '%q' "$root/scripts/run-local.sh")"
    echo "alias rt-test=$(printf '%q' "$root/scripts/test.sh")"
    echo "alias rt-logs=$(printf '%q' "tail -F $root/.run/local/logs/combined-*.log")"
    echo "alias rt-health=$(printf '%q' "curl -s http://127.0.0.1:8080/health | python3 -m json.tool")"
    echo "alias rt-backup=$(printf '%q' "$root/scripts/backup.sh")"
  } >>"$aliases"
  echo "    added rt-run, rt-test, rt-logs, rt-health, rt-backup (open a new shell)"
else
  echo "    already there"
fi
