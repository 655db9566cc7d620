-- Heartbeats: POST /v1/sessions/{id}/heartbeat {"active":true} with the session's token, round-robin over the live
-- sessions that Leasehold.Bench made beforehand (LEASEHOLD_WRK_SESSIONS), as the harness's "heartbeats" mix. The
-- requests are built once, in init(); request() hands out the next. No response(): wrk then reads no answer's body,
-- as for the baseline, and its summary counts any answer above 399 as an error.
dofile(os.getenv("LEASEHOLD_WRK_LIB") .. "/common.lua")

local requests = {}
local next_request = 0

function init(args)
   for line in io.lines(os.getenv("LEASEHOLD_WRK_SESSIONS")) do
      local id, token = line:match("^(%S+) (%S+)$")
      requests[#requests + 1] = wrk.format("POST", "/v1/sessions/" .. id .. "/heartbeat",
         headers({ ["Content-Type"] = "application/json", ["Leasehold-Session-Token"] = token }), '{"active":true}')
   end
end

function request()
   next_request = next_request % #requests + 1
   return requests[next_request]
end
