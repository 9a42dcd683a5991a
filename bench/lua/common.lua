-- Shared by the wrk scripts: reads the keys file that `chatleads dev seed` writes, and prints one
-- RESULT line per run that bench/run.sh collects.
local M = {}

-- Lines: "chatbot|big CHATBOT_ID SECRET LEAD_COUNT"; "#" starts a comment.
function M.load(path)
  local bots, big = {}, nil
  for line in io.lines(path) do
    local kind, id, secret, count = line:match("^(%a+) (%S+) (%S+) (%d+)$")
    if kind == "chatbot" then
      bots[#bots + 1] = { id = id, secret = secret, count = tonumber(count) }
    elseif kind == "big" then
      big = { id = id, secret = secret, count = tonumber(count) }
    end
  end
  return bots, big
end

-- Each wrk thread has its own Lua state; give each its own random sequence.
function M.seed()
  local address = tonumber(tostring({}):match("0x(%x+)") or "0", 16) or 0
  math.randomseed(os.time() + address % 1000003)
  math.random(); math.random()
end

-- A thread's setup: the keys file named by wrk's first script argument, and its own random sequence.
-- With need_big, the big chatbot must be in it.
function M.init(args, need_big)
  local bots, big = M.load(args[1])
  if need_big and big == nil then
    error("the keys file has no big chatbot; seed with --big-chatbot-leads")
  end
  M.seed()
  return bots, big
end

-- A fixed request rate per connection (wrk's delay hook), when BENCH_DELAY_MS is set.
function M.delay_ms()
  local value = os.getenv("BENCH_DELAY_MS")
  return value and tonumber(value) or nil
end

function M.report(name, summary, latency)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT %s rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f requests=%d socket_errors=%d non2xx=%d\n",
    name, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status))
end

return M
