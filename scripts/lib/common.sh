# Shared by scripts/run-local.sh and scripts/test.sh: find or start (or install, as root, from
# Debian packages) what the application needs, saying what it does as it goes.
# shellcheck shell=bash

TOMCAT_VERSION="${TOMCAT_VERSION:-10.1.59}"
PG_HOST=127.0.0.1
PG_PORT="${PGPORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

apt_updated=""
apt_install() {
  if ! is_root; then
    fail "missing: $*. Install it with: sudo apt-get install -y $* (then run this again)"
  fi
  if [ -z "$apt_updated" ]; then
    say "Updating the Debian package lists (apt-get update)"
    apt-get update -qq
    apt_updated=1
  fi
  say "Installing from Debian packages: $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# load_env_file FILE: exports its KEY=value lines, literally: no shell expansion (root scripts read
# files the Tomcat user may write, and secrets may hold $ or backticks); surrounding quotes are
# dropped; a variable already set in the environment wins over the file.
load_env_file() {
  local line key value
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    key=${line%%=*}
    value=${line#*=}
    [[ "$key" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
    if [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]]; then
      value=${BASH_REMATCH[1]}
    fi
    if [ -z "${!key+set}" ]; then
      export "$key=$value"
    fi
  done <"$1"
}

random_secret() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

ensure_build_tools() {
  if ! command -v java >/dev/null || ! java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then
    apt_install openjdk-17-jdk-headless
  fi
  command -v mvn >/dev/null || apt_install maven
  command -v unzip >/dev/null || apt_install unzip
  command -v curl >/dev/null || apt_install curl
}

ensure_postgres() {
  if pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; then
    say "PostgreSQL answers on $PG_HOST:$PG_PORT"
    return
  fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    apt_install postgresql postgresql-client
  fi
  command -v pg_isready >/dev/null || apt_install postgresql-client
  is_root || fail "PostgreSQL is installed but not running; start it with: sudo pg_ctlcluster <version> main start"
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  say "Starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null \
    || pg_ctlcluster "$version" main start
  for _ in $(seq 1 60); do
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && return
    sleep 0.5
  done
  fail "PostgreSQL did not come up on $PG_HOST:$PG_PORT"
}

ensure_redis() {
  command -v redis-cli >/dev/null || apt_install redis-server
  if [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; then
    say "Redis answers on 127.0.0.1:$REDIS_PORT"
    return
  fi
  command -v redis-server >/dev/null || apt_install redis-server
  say "Starting Redis on 127.0.0.1:$REDIS_PORT"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
  for _ in $(seq 1 40); do
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ] && return
    sleep 0.25
  done
  fail "Redis did not come up on 127.0.0.1:$REDIS_PORT"
}

# Runs SQL as the PostgreSQL superuser: through the postgres system account as root, else over TCP.
psql_admin() {
  if is_root && id postgres >/dev/null 2>&1; then
    (cd / && runuser -u postgres -- psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -qAtX -c "$1")
  else
    psql -h "$PG_HOST" -p "$PG_PORT" -U "${PGADMIN:-postgres}" -v ON_ERROR_STOP=1 -qAtX -c "$1"
  fi
}

# Nginx and openssl for the end-to-end test (OperationsIT): Nginx with a self-signed certificate in
# front of two Tomcat nodes. Debian's package is installed but not started (the test runs its own).
ensure_nginx() {
  command -v openssl >/dev/null || apt_install openssl
  if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    apt_install nginx
  fi
}

# ensure_role NAME PASSWORD [CREATEDB]: creates the login role, or resets its password.
ensure_role() {
  local name=$1 password=$2 extra=${3:-}
  psql_admin "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$name') THEN
        CREATE ROLE $name LOGIN $extra PASSWORD '$password';
      ELSE
        ALTER ROLE $name LOGIN $extra PASSWORD '$password';
      END IF;
    END \$\$;" >/dev/null
}

ensure_database() {
  local name=$1 owner=$2
  if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$name'")" != "1" ]; then
    say "Creating database $name"
    psql_admin "CREATE DATABASE $name OWNER $owner" >/dev/null
  fi
}

# Prints the path of a Tomcat distribution unpacked from Maven Central (cached between runs).
tomcat_home() {
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/reistech"
  local home="$cache/apache-tomcat-$TOMCAT_VERSION"
  if [ ! -x "$home/bin/catalina.sh" ]; then
    say "Fetching Apache Tomcat $TOMCAT_VERSION from Maven Central into $cache" >&2
    mkdir -p "$cache"
    mvn -B -q dependency:copy -Dartifact="org.apache.tomcat:tomcat:$TOMCAT_VERSION:zip" \
      -DoutputDirectory="$cache" >&2
    unzip -q -o "$cache/tomcat-$TOMCAT_VERSION.zip" -d "$cache"
    chmod +x "$home"/bin/*.sh
  fi
  printf '%s\n' "$home"
}

xml_escape() { sed -e 's/&/\&amp;/g' -e 's/"/\&quot;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' <<<"$1"; }
