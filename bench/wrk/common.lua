-- Shared by the wrk scripts of bench/wrk.sh (docs/benchmarks.md, "Agreement with wrk"). wrk runs each script in
-- one Lua state per thread (request, response) and in one more for setup and done. The settings come from the
-- environment that Leasehold.Bench's `wrk` verb gives wrk:
--   LEASEHOLD_WRK_KEY       the tenant's client key (Authorization: Bearer)
--   LEASEHOLD_WRK_LICENSE   the license of the checkouts (twice as many seats as connections)
--   LEASEHOLD_WRK_SESSIONS  a file of live sessions, "id token" a line (heartbeats)
--   LEASEHOLD_WRK_OUT       where done() writes the run's figures as JSON

unexpected = 0 -- answers with a status the script did not expect (per thread; done() sums them)

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

-- The headers of every request: the client key and, with a body, its type.
function headers(extra)
   local h = {
      ["Host"] = wrk.headers["Host"],
      ["Authorization"] = "Bearer " .. os.getenv("LEASEHOLD_WRK_KEY"),
   }
   for name, value in pairs(extra or {}) do
      h[name] = value
   end
   return h
end

-- A checkout body as the harness sends it (Setup.CheckoutBody): worker N's user and device.
function checkout_body(n)
   return string.format('{"licenseId":"%s","user":"worker-%04d","device":"device-%04d","client":"bench"}',
      os.getenv("LEASEHOLD_WRK_LICENSE"), n, n)
end

function done(summary, latency, requests)
   local extra = 0
   for _, thread in ipairs(threads) do
      extra = extra + (thread:get("unexpected") or 0)
   end
   local e = summary.errors
   local out = assert(io.open(os.getenv("LEASEHOLD_WRK_OUT"), "w"))
   out:write(string.format(
      '{"requests":%d,"duration_us":%d,"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_status":%d,' ..
      '"errors_timeout":%d,"unexpected":%d,"p50_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d}\n',
      summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout, extra,
      latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
   out:close()
end
