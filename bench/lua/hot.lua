-- hot: page 1, size 10, no dates, a random chatbot (with its owner's key) per request.
package.path = "bench/lua/?.lua;" .. package.path
local common = require("common")
local bots
local pause = common.delay_ms()
-- BENCH_ACCEPT_ENCODING=gzip: a client that asks for compressed answers (the page is about 2 KB).
local accept_encoding = os.getenv("BENCH_ACCEPT_ENCODING")

function init(args)
  bots = common.init(args)
end

function request()
  local bot = bots[math.random(#bots)]
  local headers = { ["Authorization"] = "Bearer " .. bot.secret }
  if accept_encoding and accept_encoding ~= "" then
    headers["Accept-Encoding"] = accept_encoding
  end
  return wrk.format("GET", "/api/v1/get-leads?chatbotId=" .. bot.id .. "&page=1&size=10", headers)
end

if pause then
  function delay() return pause end
end

function done(summary, latency, requests)
  common.report(os.getenv("BENCH_SCENARIO") or "hot", summary, latency)
end
