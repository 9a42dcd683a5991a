-- filtered: a random 30-day range inside the seeded two years, page 1, size 10, a random chatbot.
package.path = "bench/lua/?.lua;" .. package.path
local common = require("common")
local bots
local day = 86400

function init(args)
  bots = common.init(args)
end

function request()
  local bot = bots[math.random(#bots)]
  local start = os.time() - math.random(30, 730) * day
  local from = os.date("!%Y-%m-%d", start)
  local to = os.date("!%Y-%m-%d", start + 29 * day)
  return wrk.format("GET", "/api/v1/get-leads?chatbotId=" .. bot.id .. "&startDate=" .. from ..
    "&endDate=" .. to .. "&page=1&size=10", { ["Authorization"] = "Bearer " .. bot.secret })
end

function done(summary, latency, requests)
  common.report("filtered", summary, latency)
end
