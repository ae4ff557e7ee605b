-- wrk script: POSTs signed WhatsApp webhook deliveries read from WEBHOOKS (lines "signature<TAB>body",
-- written by webhook_payloads.py), each thread its own share (line n goes to thread n % WRK_THREADS),
-- each delivery once; a thread that has sent its share stops. Run by bench/run.sh (webhook,
-- webhook-burst). Loopback or a test installation only.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")

-- The checks need the 200s (and 409s) by status.
function response(status)
  count(status)
end
local deliveries, next_index = {}, 1

function init(args)
  local threads, n = tonumber(os.getenv("WRK_THREADS") or "1"), 0
  for line in io.lines(os.getenv("WEBHOOKS")) do
    if n % threads == index - 1 then
      local tab = line:find("\t", 1, true)
      deliveries[#deliveries + 1] = wrk.format("POST", "/api/whatsapp/webhook",
        { ["Content-Type"] = "application/json", ["X-Hub-Signature-256"] = line:sub(1, tab - 1) }, line:sub(tab + 1))
    end
    n = n + 1
  end
end

function request()
  if next_index == #deliveries + 1 then
    wrk.thread:stop()
    io.stderr:write("webhook.lua: a thread ran out of deliveries (raise WEBHOOK_MESSAGES); req/s is understated\n")
  end
  local r = deliveries[math.min(next_index, #deliveries)]
  next_index = next_index + 1
  return r
end
