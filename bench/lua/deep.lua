-- deep: the big chatbot, a random page from 1 to 2,000 (capped at its last page), size 100,
-- by page number: the plain contract, which is what this target measures.
package.path = "bench/lua/?.lua;" .. package.path
local common = require("common")
local big, pages

function init(args)
  local _
  _, big = common.init(args, true)
  pages = math.min(2000, math.max(1, math.ceil(big.count / 100)))
end

function request()
  return wrk.format("GET", "/api/v1/get-leads?chatbotId=" .. big.id .. "&page=" .. math.random(pages) .. "&size=100",
    { ["Authorization"] = "Bearer " .. big.secret })
end

function done(summary, latency, requests)
  common.report("deep", summary, latency)
end
