-- Shared by the wrk scripts of bench/: prints one summary line: requests/s, latency p50/p99/p99.9,
-- and errors (socket errors, then error responses). A script loads it with
-- dofile(os.getenv("BENCH_DIR") .. "/report.lua").
-- Responses are counted by status only by scripts that define response(status) and call
-- count(status) from it (webhook.lua, queue.lua: their checks need the 200s). The others leave
-- response() undefined, so that wrk hands no response to Lua: that costs the load generator,
-- which shares the machine, CPU for every header and body (6% of the hot read's rate measured).
-- Without counts, non2xx is wrk's own count of responses of status 400 and above.
local threads = {}
statuses = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("index", #threads)
end

function count(status)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local by_status, non2xx = {}, 0
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, n in pairs(counts) do
      by_status[status] = (by_status[status] or 0) + n
      if status < 200 or status > 299 then non2xx = non2xx + n end
    end
  end
  local errors = summary.errors
  local socket = errors.connect + errors.read + errors.write + errors.timeout
  local statuses_text = {}
  for status, n in pairs(by_status) do table.insert(statuses_text, status .. "=" .. n) end
  table.sort(statuses_text)
  if response == nil then
    non2xx = errors.status
    statuses_text = { "uncounted" }
  end
  io.write(string.format(
    "RESULT requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f socket_errors=%d non2xx=%d statuses=%s\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    socket, non2xx, table.concat(statuses_text, ",")))
end
