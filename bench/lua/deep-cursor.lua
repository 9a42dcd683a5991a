-- deep-cursor: the big chatbot walked with size 100 by following the Link header's cursor, as a
-- syncing client would; each thread starts over at the end. Shows the cursor's page cost at depth.
package.path = "bench/lua/?.lua;" .. package.path
local common = require("common")
local big
local next_path

function init(args)
  local _
  _, big = common.init(args, true)
end

local function first_page()
  return "/api/v1/get-leads?chatbotId=" .. big.id .. "&page=1&size=100"
end

function request()
  return wrk.format("GET", next_path or first_page(), { ["Authorization"] = "Bearer " .. big.secret })
end

function response(status, headers, body)
  local link = headers["Link"] or headers["link"]
  local url = link and link:match("<([^>]+)>")
  next_path = url and url:match("^https?://[^/]+(/.*)$") or nil
end

function done(summary, latency, requests)
  common.report("deep-cursor", summary, latency)
end
