-- notfound: a 404 by a chatbot id the key's owner does not own, from a pairs file that
-- bench/notfound.sh writes ("CHATBOT_ID SECRET" per line: another owner's chatbot, or an id that
-- does not exist). BENCH_NOTFOUND_ROUTE: get-leads (default) or capture (a keyed POST of a lead).
package.path = "bench/lua/?.lua;" .. package.path
local common = require("common")
local pairs_ = {}
local route = os.getenv("BENCH_NOTFOUND_ROUTE") or "get-leads"
local body = '{"name":"Probe","email":"probe@example.com"}'

function init(args)
  for line in io.lines(args[1]) do
    local id, secret = line:match("^(%S+) (%S+)$")
    if id then
      pairs_[#pairs_ + 1] = { id = id, secret = secret }
    end
  end
  common.seed()
end

function request()
  local pair = pairs_[math.random(#pairs_)]
  if route == "capture" then
    return wrk.format("POST", "/api/v1/chatbots/" .. pair.id .. "/leads",
      { ["Authorization"] = "Bearer " .. pair.secret, ["Content-Type"] = "application/json" }, body)
  end
  return wrk.format("GET", "/api/v1/get-leads?chatbotId=" .. pair.id .. "&page=1&size=10",
    { ["Authorization"] = "Bearer " .. pair.secret })
end

function done(summary, latency, requests)
  common.report(os.getenv("BENCH_SCENARIO") or "notfound", summary, latency)
end
