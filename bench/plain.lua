-- wrk script: a plain GET of the URL given to wrk (the baseline servlet), with the same report.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
