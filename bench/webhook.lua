-- wrk script: POST signed webhook deliveries read from WEBHOOKS (lines "signature<TAB>body"),
-- each thread taking its own share, each delivery sent once (later requests repeat the last one,
-- which the application de-duplicates by wamid). Loopback only.
local deliveries = {}
local index = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  local path = os.getenv("WEBHOOKS")
  local n = 0
  for line in io.lines(path) do
    n = n + 1
    local tab = line:find("\t", 1, true)
    deliveries[#deliveries + 1] = { line:sub(1, tab - 1), line:sub(tab + 1) }
  end
  index = id - 1
  total_threads = tonumber(os.getenv("WRK_THREADS") or "1")
end

function request()
  local d = deliveries[math.min(index + 1, #deliveries)]
  index = index + total_threads
  return wrk.format("POST", "/api/whatsapp/webhook",
    { ["Content-Type"] = "application/json", ["X-Hub-Signature-256"] = d[1] }, d[2])
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx/3xx responses: %d, socket errors: %d\n", summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
