-- The HTTP ceiling: the same request shape as hot (path length, Authorization header), answered by
-- /bench/fixed with a fixed body of BENCH_FIXED_BYTES bytes and no database work.
package.path = "bench/lua/?.lua;" .. package.path
local common = require("common")
local bots
local bytes = os.getenv("BENCH_FIXED_BYTES") or "2500"

function init(args)
  bots = common.init(args)
end

function request()
  local bot = bots[math.random(#bots)]
  return wrk.format("GET", "/bench/fixed?bytes=" .. bytes .. "&chatbotId=" .. bot.id .. "&page=1&size=10",
    { ["Authorization"] = "Bearer " .. bot.secret })
end

function done(summary, latency, requests)
  common.report("http-ceiling", summary, latency)
end
