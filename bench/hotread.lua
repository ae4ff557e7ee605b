-- wrk script: the hot cached read, GET of the first catalog page with a valid JWT (TOKEN), through
-- the whole filter chain. Loopback only.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.path = os.getenv("READ_PATH") or "/api/catalog/items?page=0&size=20&sort=name"
