-- wrk script: POST /api/auth/login with fixed credentials (loopback only).
-- Usage: LOGIN_EMAIL=... LOGIN_PASSWORD=... wrk -t2 -c4 -d20s -s bench/login.lua --latency http://127.0.0.1:8080
local email = os.getenv("LOGIN_EMAIL") or "agente@demo.local"
local password = os.getenv("LOGIN_PASSWORD") or "Agente-Senha-2026"
local workspace = os.getenv("LOGIN_WORKSPACE") or "demo"
wrk.method = "POST"
wrk.path = "/api/auth/login"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.format('{"workspace":"%s","email":"%s","password":"%s"}', workspace, email, password)

function done(summary, latency, requests)
  io.write(string.format("non-2xx/3xx responses: %d, socket errors: %d\n", summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
