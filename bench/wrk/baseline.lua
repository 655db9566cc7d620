-- The baseline: POST /bench/noop with the bytes of a checkout body (the harness's "baseline"), one request built
-- once and sent again and again (wrk's static request: no Lua per request). Any answer above 399 counts as an
-- error in wrk's own summary.
dofile(os.getenv("LEASEHOLD_WRK_LIB") .. "/common.lua")

wrk.method = "POST"
wrk.path = "/bench/noop"
wrk.body = checkout_body(0)
wrk.headers = headers({ ["Content-Type"] = "application/json" })
