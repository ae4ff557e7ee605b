#!/usr/bin/env bash
# sqlmap (Debian's package) against a local run, loopback only, bounded: login, users, catalog
# search and the queue. Start the app with `RATE_LIMIT_ENABLED=false scripts/run-local.sh` so the
# rate limiter does not ban the scanner after a few refusals (it would, with the defaults); the
# sanitization filter stays on. Prints sqlmap's verdict for each target and how many requests the
# application refused as suspicious input meanwhile (from the audit trail's refusal counts).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE=${BASE:-http://127.0.0.1:8080}
OUT=${OUT:-$(mktemp -d)}
command -v sqlmap >/dev/null || { echo "sqlmap is needed (Debian: apt-get install sqlmap)" >&2; exit 1; }

email=$(sed -n 1p "$ROOT/.run/local/admin.credentials")
password=$(sed -n 2p "$ROOT/.run/local/admin.credentials")
token=$(curl -sf "$BASE/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"workspace\":\"demo\",\"email\":\"$email\",\"password\":\"$password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
auth="Authorization: Bearer $token"
user_id=$(curl -sf "$BASE/api/users?size=1" -H "$auth" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')

scan() {
  local name=$1; shift
  echo "== $name"
  timeout 900 sqlmap --batch --level 2 --risk 1 --time-sec 1 --timeout 10 --retries 0 --threads 4 \
    --ignore-code 400,401,403,404,409,415,422 --flush-session --output-dir "$OUT/$name" "$@" 2>&1 \
    | grep -E "do not appear to be injectable|is vulnerable|injectable|all tested parameters|CRITICAL|WARNING.*(heuristic|does not seem)" \
    | sort | uniq -c || true
}

scan login -u "$BASE/api/auth/login" --method POST -H 'Content-Type: application/json' \
  --data '{"workspace":"demo","email":"pessoa@demo.local","password":"senha-qualquer-1"}'
scan users -u "$BASE/api/users?page=0&size=20" -H "$auth" -p page,size
scan user-by-id -u "$BASE/api/users/${user_id}*" -H "$auth"
scan catalog -u "$BASE/api/catalog/items?q=capa&sort=price&page=0&size=20" -H "$auth" -p q,sort,page,size
scan queue-take -u "$BASE/api/queue/00000000-0000-0000-0000-000000000000*/take" --method POST -H "$auth"
echo "sqlmap output: $OUT"
