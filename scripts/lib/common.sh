# Shared by the scripts: find or start (or install, as root, from Debian packages) what the
# application needs, saying what it does as it goes; the local runs' secrets, administrator and
# private CATALINA_BASE (run-local.sh, cluster-local.sh); the Nginx site's rendering.
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

# ensure_secrets DIR: the database password, both JWT secrets and the WhatsApp secrets key of a local
# run, generated on the first run and kept (mode 600).
ensure_secrets() {
  local dir=$1 secret
  for secret in db-password jwt-secret jwt-refresh-secret; do
    [ -s "$dir/$secret" ] || random_secret >"$dir/$secret"
    chmod 600 "$dir/$secret"
  done
  [ -s "$dir/whatsapp-secrets-key" ] || head -c 32 /dev/urandom | base64 >"$dir/whatsapp-secrets-key"
  chmod 600 "$dir/whatsapp-secrets-key"
}

# secret_entries DIR: the secrets of ensure_secrets as the application's KEY=value settings, one a line
# (for write_context: mapfile -t secrets < <(secret_entries DIR)).
secret_entries() {
  printf '%s\n' "DB_PASSWORD=$(cat "$1/db-password")" "JWT_SECRET=$(cat "$1/jwt-secret")" \
    "JWT_REFRESH_SECRET=$(cat "$1/jwt-refresh-secret")" "WHATSAPP_SECRETS_KEY=$(cat "$1/whatsapp-secrets-key")"
}

# admin_credentials DIR: the demo workspace's administrator, from REISTECH_ADMIN_EMAIL and
# REISTECH_ADMIN_PASSWORD, else from DIR/admin.credentials, else generated once and kept there. Sets
# credentials, admin_email, admin_password, admin_note (what to print) and fresh_credentials.
admin_credentials() {
  credentials="$1/admin.credentials"
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
}

# prepare_catalina_base TOMCAT_HOME BASE: a private CATALINA_BASE from tomcat-conf/ (server.xml,
# setenv.sh) and the distribution's other files, with no application unpacked from an earlier run.
prepare_catalina_base() {
  local home=$1 base=$2 file
  mkdir -p "$base"/{conf/Catalina/localhost,logs,temp,work,webapps}
  for file in web.xml catalina.properties logging.properties context.xml; do
    cp "$home/conf/$file" "$base/conf/$file"
  done
  cp "$ROOT/tomcat-conf/server.xml" "$base/conf/server.xml"
  mkdir -p "$base/bin" && cp "$ROOT/tomcat-conf/setenv.sh" "$base/bin/setenv.sh"
  printf '<tomcat-users xmlns="http://tomcat.apache.org/xml" version="1.0"/>\n' >"$base/conf/tomcat-users.xml"
  rm -rf "$base/webapps/ROOT" "$base/work/Catalina"
}

# write_context FILE WAR PASS_THROUGH KEY=VALUE...: the application's context descriptor (readable by
# its owner only: it holds secrets), one <Environment> per KEY=VALUE, then one for each variable of
# the environment whose name matches the extended regular expression PASS_THROUGH (tuning keys such
# as CACHE_ENABLED=false for a benchmark) and is not among the KEYs.
write_context() {
  local file=$1 war=$2 pass=$3 pair key given=" "
  shift 3
  (
    umask 077
    {
      printf '<Context docBase="%s">\n' "$war"
      for pair in "$@"; do
        context_entry "${pair%%=*}" "${pair#*=}"
        given+="${pair%%=*} "
      done
      for key in $(compgen -e | grep -E "^($pass)\$" || true); do
        [[ "$given" == *" $key "* ]] || context_entry "$key" "${!key}"
      done
      printf '</Context>\n'
    } >"$file"
  )
}
context_entry() { printf '  <Environment name="%s" value="%s" type="java.lang.String" override="false"/>\n' "$1" "$(xml_escape "$2")"; }

# render_site TEMPLATE VARS OUT [KEY=VALUE...]: an Nginx template (the site nginx/reistech.conf, the
# standalone main configuration nginx/standalone.conf) with each {{KEY}} replaced by its value in VARS
# (KEY=value lines; /dev/null for none), then by the KEY=VALUE arguments (defaults for the keys VARS
# leaves out); "\n" in a value is a line break. Fails if a placeholder is left unfilled.
render_site() {
  local out=$3 vars=$2 key value pair
  cp "$1" "$out"
  while IFS='=' read -r key value; do
    case "$key" in ''|\#*) continue ;; esac
    fill_placeholder "$out" "$key" "$value"
  done <"$vars"
  for pair in "${@:4}"; do
    fill_placeholder "$out" "${pair%%=*}" "${pair#*=}"
  done
  if grep -Eq '\{\{[A-Z_]+\}\}' "$out"; then
    fail "$1 rendered with $vars leaves placeholders unfilled: $(grep -o '{{[A-Z_]*}}' "$out" | sort -u | tr '\n' ' ')"
  fi
}
# awk -v turns the value's \n into line breaks (several upstream servers).
fill_placeholder() {
  awk -v k="{{$2}}" -v v="$3" '{ while ((i = index($0, k)) > 0) $0 = substr($0, 1, i - 1) v substr($0, i + length(k)); print }' \
    "$1" >"$1.next" && mv "$1.next" "$1"
}
