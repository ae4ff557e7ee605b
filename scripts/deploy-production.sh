#!/usr/bin/env bash
# Deploys the ReisTech WAR to one Tomcat node with Tomcat's parallel deployment, then (optionally)
# installs the Nginx site. Run it once per node, one node after the other (a rolling deploy).
#
#   scripts/deploy-production.sh [--war FILE] [--dry-run]     deploy FILE (default: build target/reistech.war)
#   scripts/deploy-production.sh --rollback [--dry-run]       go back to the previous release
#
# Steps (each printed as it runs):
#  1. check the WAR (a ReisTech WAR: web.xml, the composition root, migrations) and name the release
#     <UTC timestamp>-<WAR version>: Tomcat routes new requests to the highest version name;
#  2. if that very WAR is what runs already, stop: nothing to do (idempotent);
#  3. keep it in RELEASES_DIR (rollbacks deploy from there) and write its context descriptor from
#     CONTEXT_TEMPLATE (docBase filled in);
#  4. deploy it as ROOT##<release> through Tomcat's manager: the running version keeps serving
#     while the new one starts; new requests go to the new one as soon as it has started;
#  5. wait up to READY_TIMEOUT seconds for the new version to run and answer /ready 200; if it
#     never does, undeploy it (traffic stays on, or returns to, the old version) and exit 2;
#  6. let the old versions finish their requests for DRAIN_SECONDS, then undeploy them;
#  7. if NGINX_SITE_VARS is set: render nginx/reistech.conf, install it only if `nginx -t` accepts
#     it (else put the old one back and exit 3), then reload Nginx.
#
# Settings come from the environment, or from DEPLOY_ENV (default /etc/reistech/deploy.env):
#   TOMCAT_URL            the node's connector, direct, not through Nginx (http://127.0.0.1:8080)
#   MANAGER_USER          a user with Tomcat's manager-script role
#   MANAGER_PASSWORD_FILE a file holding its password (chmod 600)
#   CONTEXT_TEMPLATE      the context descriptor with the application's JNDI entries and
#                         docBase="@WAR@" (tomcat-conf/context.xml, installed as /etc/reistech/context.xml)
#   RELEASES_DIR          where deployed WARs are kept (/opt/reistech/releases)
#   READY_TIMEOUT         seconds (180)       DRAIN_SECONDS   seconds (20)
#   NGINX_SITE_VARS       KEY=value file of nginx/reistech.conf's {{KEY}} values (optional; FLOOD_RATE
#                         and FLOOD_BURST default to 50r/s and 100)
#   NGINX_SITE_TARGET     where the site goes (/etc/nginx/sites-enabled/reistech.conf)
#   NGINX_CMD             the nginx command (nginx; e.g. "nginx -c /etc/nginx/nginx.conf")
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/common.sh
source "$ROOT/scripts/lib/common.sh"

war="" rollback="" dry_run=""
while [ $# -gt 0 ]; do
  case "$1" in
    --war) war="$2"; shift 2 ;;
    --rollback) rollback=1; shift ;;
    --dry-run) dry_run=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) fail "unknown option $1 (see --help)" ;;
  esac
done

DEPLOY_ENV="${DEPLOY_ENV:-/etc/reistech/deploy.env}"
if [ -r "$DEPLOY_ENV" ]; then
  load_env_file "$DEPLOY_ENV"
fi
TOMCAT_URL="${TOMCAT_URL:-http://127.0.0.1:8080}"
MANAGER_USER="${MANAGER_USER:?set MANAGER_USER (a manager-script user of Tomcat)}"
MANAGER_PASSWORD_FILE="${MANAGER_PASSWORD_FILE:?set MANAGER_PASSWORD_FILE}"
CONTEXT_TEMPLATE="${CONTEXT_TEMPLATE:-/etc/reistech/context.xml}"
RELEASES_DIR="${RELEASES_DIR:-/opt/reistech/releases}"
READY_TIMEOUT="${READY_TIMEOUT:-180}"
DRAIN_SECONDS="${DRAIN_SECONDS:-20}"
NGINX_CMD="${NGINX_CMD:-nginx}"
NGINX_SITE_TARGET="${NGINX_SITE_TARGET:-/etc/nginx/sites-enabled/reistech.conf}"
TOMCAT_GROUP="${TOMCAT_GROUP:-tomcat}"
command -v unzip >/dev/null || fail "unzip is needed (apt-get install unzip)"

[ -r "$MANAGER_PASSWORD_FILE" ] || fail "cannot read MANAGER_PASSWORD_FILE=$MANAGER_PASSWORD_FILE"
[ -r "$CONTEXT_TEMPLATE" ] || fail "cannot read CONTEXT_TEMPLATE=$CONTEXT_TEMPLATE"
grep -q '@WAR@' "$CONTEXT_TEMPLATE" || fail "$CONTEXT_TEMPLATE must have docBase=\"@WAR@\""

# The credentials go to curl on its standard input, never on its command line (visible in ps).
manager() {
  local password
  password=$(cat "$MANAGER_PASSWORD_FILE")
  printf 'user = "%s:%s"\n' "$MANAGER_USER" "$(printf '%s' "$password" | sed 's/[\\"]/\\&/g')" \
    | curl -sS --max-time 300 -K - "$TOMCAT_URL/manager/text/$1"
}
# Versions of the ROOT context the node runs, oldest first: "running ROOT##<release>" lines.
versions() { manager list | awk -F: '$1 == "/" { print $2, $4 }' | sort -k2; }
running_release() { versions | awk '$1 == "running" { sub(/^ROOT##/, "", $2); print $2 }' | tail -1; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
step() { say "$*"; }
run() { if [ -n "$dry_run" ]; then printf '    (dry run) %s\n' "$*"; else "$@"; fi; }

if [ -z "$dry_run" ]; then
  mkdir -p "$RELEASES_DIR" || fail "cannot create RELEASES_DIR=$RELEASES_DIR"
  # One deploy at a time on this node.
  exec 9>"$RELEASES_DIR/.deploy.lock"
  flock -n 9 || fail "another deploy-production.sh runs on this node (lock $RELEASES_DIR/.deploy.lock)"
fi
manager list 2>/dev/null | grep -q '^OK - Listed' \
  || fail "Tomcat's manager at $TOMCAT_URL/manager/text does not answer OK (is it installed? MANAGER_USER's password and manager-script role?)"
current=$(running_release || true)
step "Node $TOMCAT_URL runs release: ${current:-none}"

if [ -n "$rollback" ]; then
  previous=$(cat "$RELEASES_DIR/previous" 2>/dev/null || true)
  [ -n "$previous" ] && [ -f "$RELEASES_DIR/$previous.war" ] || fail "no previous release recorded in $RELEASES_DIR/previous"
  war="$RELEASES_DIR/$previous.war"
  step "Rolling back to release $previous"
elif [ -z "$war" ]; then
  war="$ROOT/target/reistech.war"
  if [ -n "$dry_run" ] && [ ! -f "$war" ]; then
    step "Would build the WAR (mvn -DskipTests package); nothing to check yet"
    exit 0
  fi
  step "Building the WAR (mvn -DskipTests package)"
  run bash -c "cd '$ROOT' && mvn -B -q -DskipTests package"
fi
[ -f "$war" ] || fail "no WAR at $war"
war=$(realpath "$war")

step "1. Checking $war"
entries=$(unzip -Z1 "$war") || fail "$war is not a readable WAR"
for needed in WEB-INF/web.xml WEB-INF/classes/br/com/reistech/web/CompositionRoot.class WEB-INF/classes/db/migration/; do
  grep -qx "$needed" <<<"$entries" || fail "$war lacks $needed: not a ReisTech WAR"
done
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
war_version=$(unzip -p "$war" META-INF/MANIFEST.MF | sed -n 's/^Implementation-Version: *//p' | tr -d '\r' | tr -c 'A-Za-z0-9._\n-' '_')
release="$(date -u +%Y%m%d%H%M%S)-${war_version:-unknown}"
war_sha=$(sha "$war")
printf '    WAR version %s, sha256 %s; release name %s\n' "${war_version:-unknown}" "$war_sha" "$release"

if [ -n "$current" ] && [ -f "$RELEASES_DIR/$current.war" ] && [ "$(sha "$RELEASES_DIR/$current.war")" = "$war_sha" ]; then
  step "2. Release $current is this very WAR: nothing to deploy"
  deployed=""
else
  step "2. A new release: $release replaces ${current:-nothing}"
  step "3. Keeping the WAR as $RELEASES_DIR/$release.war and writing its context descriptor"
  descriptor="$RELEASES_DIR/$release.xml"
  run cp "$war" "$RELEASES_DIR/$release.war"
  if [ -z "$dry_run" ]; then
    sed "s|@WAR@|$RELEASES_DIR/$release.war|" "$CONTEXT_TEMPLATE" >"$descriptor"
    # Tomcat's manager reads it (as Tomcat's user); nobody else may: it may hold secrets.
    chmod 640 "$descriptor"
    if getent group "$TOMCAT_GROUP" >/dev/null; then chgrp "$TOMCAT_GROUP" "$descriptor" "$RELEASES_DIR/$release.war"; fi
  fi

  step "4. Deploying ROOT##$release (the running version keeps serving while it starts)"
  if [ -z "$dry_run" ]; then
    # Interrupted from here until it is ready, the new release is taken away again.
    trap 'printf "\nInterrupted: undeploying ROOT##%s\n" "$release" >&2; manager "undeploy?path=/&version=$release" >&2; rm -rf "$work"; exit 130' INT TERM
    answer=$(manager "deploy?path=/&version=$release&config=file:$descriptor" || true)
    printf '    manager: %s\n' "$answer"
  fi

  step "5. Waiting up to ${READY_TIMEOUT}s for ROOT##$release to run and answer /ready 200"
  ready=""
  if [ -n "$dry_run" ]; then
    ready=1
  else
    deadline=$(( $(date +%s) + READY_TIMEOUT ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
      if versions | grep -qx "running ROOT##$release" \
         && [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$TOMCAT_URL/ready")" = "200" ]; then
        ready=1; break
      fi
      if versions | grep -qx "stopped ROOT##$release" || ! versions | grep -q "ROOT##$release"; then
        break   # it failed to start: no point in waiting
      fi
      sleep 2
    done
  fi
  if [ -z "$ready" ]; then
    printf 'ERROR: ROOT##%s never turned ready: rolling back\n' "$release" >&2
    manager "undeploy?path=/&version=$release" | sed 's/^/    manager: /'
    rm -f "$RELEASES_DIR/$release.war" "$descriptor"
    step "Rolled back: the node runs ${current:-nothing}, as before"
    exit 2
  fi
  trap - INT TERM
  printf '    ROOT##%s is ready\n' "$release"
  deployed="$release"
  if [ -z "$dry_run" ]; then
    if [ -n "$current" ]; then echo "$current" >"$RELEASES_DIR/previous"; fi
    echo "$release" >"$RELEASES_DIR/current"
  fi

fi

step "6. Letting older versions finish their requests (${DRAIN_SECONDS}s), then undeploying them"
old=$(versions | awk -v keep="ROOT##${deployed:-$current}" '$2 != keep { print $2 }')
if [ -n "$old" ]; then
  run sleep "$DRAIN_SECONDS"
  for version in $old; do
    if [ -n "$dry_run" ]; then
      printf '    (dry run) undeploy %s\n' "$version"
    else
      if [ "$version" = ROOT ]; then
        manager "undeploy?path=/" | sed 's/^/    manager: /'          # deployed before versions were used
      else
        manager "undeploy?path=/&version=${version#ROOT##}" | sed 's/^/    manager: /'
      fi
    fi
  done
fi

if [ -n "${NGINX_SITE_VARS:-}" ]; then
  step "7. Nginx site from nginx/reistech.conf with $NGINX_SITE_VARS"
  site="$work/reistech.conf"
  # The flood guard's production values unless NGINX_SITE_VARS gives FLOOD_RATE or FLOOD_BURST.
  render_site "$ROOT/nginx/reistech.conf" "$NGINX_SITE_VARS" "$site" FLOOD_RATE=50r/s FLOOD_BURST=100
  if [ -f "$NGINX_SITE_TARGET" ] && cmp -s "$site" "$NGINX_SITE_TARGET"; then
    printf '    the installed site is already this one\n'
  elif [ -n "$dry_run" ]; then
    printf '    (dry run) install %s, nginx -t, reload\n' "$NGINX_SITE_TARGET"
  else
    [ -f "$NGINX_SITE_TARGET" ] && cp "$NGINX_SITE_TARGET" "$work/site.before"
    cp "$site" "$NGINX_SITE_TARGET"
    if ! $NGINX_CMD -t 2>"$work/nginx-t.log"; then
      cat "$work/nginx-t.log" >&2
      if [ -f "$work/site.before" ]; then cp "$work/site.before" "$NGINX_SITE_TARGET"; else rm -f "$NGINX_SITE_TARGET"; fi
      printf 'ERROR: nginx -t refused the new site; the previous one is back in place, Nginx not reloaded\n' >&2
      exit 3
    fi
    $NGINX_CMD -s reload
    printf '    installed %s and reloaded Nginx\n' "$NGINX_SITE_TARGET"
  fi
fi

step "Done: the node runs ${deployed:-${current:-nothing}}"
