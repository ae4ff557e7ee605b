-- wrk script: agents taking conversations from the human queue. Run with as many threads as
-- connections (-tM -cM): thread n is agent n, with the n-th token of AGENT_TOKENS (one a line). Every
-- agent walks the ids of QUEUE_IDS (one a line) in the same order, round and round, POSTing
-- /api/queue/{id}/take: agents race for the same ids on purpose; exactly one take per id may answer
-- 200, every other one 409 (conflict). Run by bench/run.sh queue.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")

-- The checks need the 200s (and 409s) by status.
function response(status)
  count(status)
end
local ids, next_index, headers = {}, 0, {}

function init(args)
  local n = 0
  for token in io.lines(os.getenv("AGENT_TOKENS")) do
    n = n + 1
    if n == index then headers["Authorization"] = "Bearer " .. token end
  end
  assert(headers["Authorization"], "fewer tokens in AGENT_TOKENS than threads")
  for id in io.lines(os.getenv("QUEUE_IDS")) do ids[#ids + 1] = id end
end

function request()
  next_index = next_index % #ids + 1
  return wrk.format("POST", "/api/queue/" .. ids[next_index] .. "/take", headers)
end
