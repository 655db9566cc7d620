-- Checkout+release: POST /v1/sessions, then DELETE /v1/sessions/{id} with the session's token, as the harness's
-- "checkout+release" mix; both requests count. wrk gives request() and response() no connection: response()
-- queues each new session's id and token, and the next request() of the thread (usually the same connection's,
-- which wrk asks for right after the answer) releases the oldest queued session, else sends a checkout. So every
-- session is released by the next request of some connection, as in the harness; only the checkouts answered as
-- wrk stops stay live (Leasehold.Bench gives each run a fresh license). The users rotate over 64 workers' names,
-- as the harness's 64 workers.
dofile(os.getenv("LEASEHOLD_WRK_LIB") .. "/common.lua")

local checkouts = {}
local next_checkout = 0
local queue, head, tail = {}, 1, 0

function init(args)
   for n = 0, 63 do
      checkouts[n + 1] = wrk.format("POST", "/v1/sessions", headers({ ["Content-Type"] = "application/json" }), checkout_body(n))
   end
end

function request()
   if head <= tail then
      local session = queue[head]
      queue[head] = nil
      head = head + 1
      return wrk.format("DELETE", "/v1/sessions/" .. session[1], headers({ ["Leasehold-Session-Token"] = session[2] }), nil)
   end
   next_checkout = next_checkout % #checkouts + 1
   return checkouts[next_checkout]
end

function response(status, headers, body)
   if status == 201 then
      -- A session's answer starts with its id; its token is a property of the same object.
      local id = body:match('^{"id":"([^"]+)"')
      local token = body:match('"sessionToken":"([^"]+)"')
      if id and token then
         tail = tail + 1
         queue[tail] = { id, token }
      else
         unexpected = unexpected + 1
      end
   elseif status ~= 204 then
      unexpected = unexpected + 1
   end
end
