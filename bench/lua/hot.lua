-- hot: page 1, size 10, no dates, a random chatbot (with its owner's key) per request.
package.path = "bench/lua/?.lua;" .. package.path
local common = require("common")
local bots
local pause = common.delay_ms()

function init(args)
  bots = common.init(args)
end

function request()
  local bot = bots[math.random(#bots)]
  return wrk.format("GET", "/api/v1/get-leads?chatbotId=" .. bot.id .. "&page=1&size=10",
    { ["Authorization"] = "Bearer " .. bot.secret })
end

if pause then
  function delay() return pause end
end

function done(summary, latency, requests)
  common.report(os.getenv("BENCH_SCENARIO") or "hot", summary, latency)
end
