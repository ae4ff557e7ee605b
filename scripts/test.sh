#!/usr/bin/env bash
# Runs everything CI runs: unit tests, then integration tests that deploy the built WAR into real
# Tomcat 10.1 and 11 processes against real PostgreSQL and Redis, and the end-to-end operations test
# (OperationsIT: Nginx with a self-signed certificate in front of two Tomcat nodes, the deploy,
# backup, restore and preflight scripts). Extra arguments go to Maven
# (e.g. scripts/test.sh -Dit.test=HealthIT).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"

ensure_build_tools
ensure_postgres
ensure_redis
ensure_nginx

# A test role that may create the fresh database each run uses; its password is new every run.
TEST_ROLE=reistech_test
TEST_PASSWORD=$(random_secret)
say "Preparing PostgreSQL role $TEST_ROLE (CREATEDB) for the integration tests"
ensure_role "$TEST_ROLE" "$TEST_PASSWORD" CREATEDB

say "Running mvn verify (unit and integration tests)"
cd "$ROOT"
exec mvn -B verify -Dit.pg.user="$TEST_ROLE" -Dit.pg.password="$TEST_PASSWORD" -Dit.nginx="$(command -v nginx || echo /usr/sbin/nginx)" \
  -Dit.pg.port="$PG_PORT" -Dit.redis.port="$REDIS_PORT" "$@"
