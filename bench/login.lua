-- wrk script: POST /api/auth/login, cycling over the users of LOGIN_USERS (lines "email<TAB>password")
-- in workspace WORKSPACE (default demo); each thread starts at a different user. bcrypt (cost 12)
-- bounds it at about 3-4 logins/s per server core. Run by bench/run.sh login, or by hand:
--   BENCH_DIR=bench LOGIN_USERS=users.tsv wrk -t2 -c4 -d10s --timeout 30s -s bench/login.lua http://127.0.0.1:8080
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
local bodies, next_index = {}, 0

function init(args)
  local workspace = os.getenv("WORKSPACE") or "demo"
  for line in io.lines(os.getenv("LOGIN_USERS")) do
    local email, password = line:match("^([^\t]+)\t(.+)$")
    bodies[#bodies + 1] = string.format('{"workspace":"%s","email":"%s","password":"%s"}', workspace, email, password)
  end
  next_index = index
end

function request()
  next_index = next_index + 1
  return wrk.format("POST", "/api/auth/login", { ["Content-Type"] = "application/json" },
    bodies[next_index % #bodies + 1])
end
