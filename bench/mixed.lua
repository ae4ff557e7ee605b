-- wrk script: a mix of requests chosen at random by weight, MIX (per-mille weights, default
-- "hot=850,webhook=80,queue=40,conversation=29,login=1"):
--   hot           GET /api/catalog/items?page=0&size=20&sort=name (TOKEN)
--   webhook       POST /api/whatsapp/webhook, the next signed delivery of WEBHOOKS (thread's share)
--   queue         GET /api/queue (TOKEN)
--   conversation  GET /api/conversations/{id}/messages?limit=20, ids of CONVERSATIONS (TOKEN)
--   login         POST /api/auth/login, users of LOGIN_USERS ("email<TAB>password") in WORKSPACE
-- Prints the RESULT line (report.lua) and "MIX sent kind=n ..." (requests sent by kind). Run by
-- bench/run.sh mixed.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
local report_setup, report_done = setup, done
local threads_list = {}
local kinds, weights, total = {}, {}, 0
local auth, deliveries, conversations, logins = {}, {}, {}, {}
local cursor = { webhook = 0, conversation = 0, login = 0 }
sent = {}

local function lines(path, keep)
  local out, n = {}, 0
  for line in io.lines(path) do
    if keep == nil or keep(n) then out[#out + 1] = line end
    n = n + 1
  end
  return out
end

function init(args)
  math.randomseed(os.time() * 100 + index)
  for kind, weight in (os.getenv("MIX") or "hot=850,webhook=80,queue=40,conversation=29,login=1"):gmatch("(%a+)=([%d.]+)") do
    kinds[#kinds + 1], weights[#weights + 1], total = kind, tonumber(weight), total + tonumber(weight)
    sent[kind] = 0
  end
  auth["Authorization"] = "Bearer " .. os.getenv("TOKEN")
  local threads = tonumber(os.getenv("WRK_THREADS") or "1")
  for _, line in ipairs(lines(os.getenv("WEBHOOKS"), function(n) return n % threads == index - 1 end)) do
    local tab = line:find("\t", 1, true)
    deliveries[#deliveries + 1] = wrk.format("POST", "/api/whatsapp/webhook",
      { ["Content-Type"] = "application/json", ["X-Hub-Signature-256"] = line:sub(1, tab - 1) }, line:sub(tab + 1))
  end
  conversations = lines(os.getenv("CONVERSATIONS"))
  local workspace = os.getenv("WORKSPACE") or "demo"
  for _, line in ipairs(lines(os.getenv("LOGIN_USERS"))) do
    local email, password = line:match("^([^\t]+)\t(.+)$")
    logins[#logins + 1] = string.format('{"workspace":"%s","email":"%s","password":"%s"}', workspace, email, password)
  end
end

local function next_of(kind, list)
  cursor[kind] = cursor[kind] % #list + 1
  return list[cursor[kind]]
end

function request()
  local pick, kind = math.random() * total, kinds[#kinds]
  for i, weight in ipairs(weights) do
    if pick < weight then kind = kinds[i] break end
    pick = pick - weight
  end
  sent[kind] = sent[kind] + 1
  if kind == "webhook" then
    -- wraps around when exhausted: the repeats are redeliveries, which the application ignores
    return next_of("webhook", deliveries)
  elseif kind == "queue" then
    return wrk.format("GET", "/api/queue", auth)
  elseif kind == "conversation" then
    return wrk.format("GET", "/api/conversations/" .. next_of("conversation", conversations) .. "/messages?limit=20", auth)
  elseif kind == "login" then
    return wrk.format("POST", "/api/auth/login", { ["Content-Type"] = "application/json" }, next_of("login", logins))
  end
  return wrk.format("GET", "/api/catalog/items?page=0&size=20&sort=name", auth)
end

function setup(thread)
  report_setup(thread)
  threads_list[#threads_list + 1] = thread
end

function done(summary, latency, requests)
  report_done(summary, latency, requests)
  local by_kind, names = {}, {}
  for _, thread in ipairs(threads_list) do
    for kind, n in pairs(thread:get("sent")) do by_kind[kind] = (by_kind[kind] or 0) + n end
  end
  for kind, n in pairs(by_kind) do names[#names + 1] = kind .. "=" .. n end
  table.sort(names)
  io.write("MIX sent " .. table.concat(names, " ") .. "\n")
end
