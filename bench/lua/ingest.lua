-- ingest: widget-style submissions (no key) of new leads to random chatbots, through
-- POST /api/v1/chatbots/{chatbotId}/leads with {"name","email","phone"}.
package.path = "bench/lua/?.lua;" .. package.path
local common = require("common")
local bots
local counter = 0

function init(args)
  bots = common.init(args)
end

function request()
  local bot = bots[math.random(#bots)]
  counter = counter + 1
  local n = math.random(1, 1000000000)
  local body = string.format('{"name":"Bench Lead %d","email":"bench-%d-%d@example.com","phone":"+1415555%04d"}',
    n, n, counter, math.random(0, 9999))
  return wrk.format("POST", "/api/v1/chatbots/" .. bot.id .. "/leads",
    { ["Content-Type"] = "application/json", ["Origin"] = "https://bench.example.com" }, body)
end

function done(summary, latency, requests)
  common.report("ingest", summary, latency)
end
