-- wrk script: POST Alertmanager API alert batches with distinct label sets, then print a JSON
-- summary (requests, errors, p50/p99 ms) on the last line. Used by bench/ingest.mjs.
-- wrk -t1 -c50 -d10s -s alerts.lua URL -- <alerts per request> <authorization header or -> <tag>
local per, auth, tag = 1, "-", "run"
local seq = 0

function init(args)
  per = tonumber(args[1] or "1")
  auth = args[2] or "-"
  tag = args[3] or "run"
end

local function body()
  local now = os.time()
  local starts = os.date("!%Y-%m-%dT%H:%M:%SZ", now)
  local ends = os.date("!%Y-%m-%dT%H:%M:%SZ", now + 3600)
  local parts = {}
  for i = 1, per do
    local n = seq
    seq = seq + 1
    parts[i] = '{"labels":{"alertname":"Bench' .. (n % 50) .. '","instance":"host-' .. tag .. '-' .. n ..
      '","job":"bench","severity":"warning"},"annotations":{"summary":"bench alert ' .. n ..
      '"},"startsAt":"' .. starts .. '","endsAt":"' .. ends .. '"}'
  end
  return "[" .. table.concat(parts, ",") .. "]"
end

function request()
  local headers = { ["Content-Type"] = "application/json" }
  if auth ~= "-" then headers["Authorization"] = auth end
  return wrk.format("POST", nil, headers, body())
end

-- done() runs in wrk's main Lua state, where init() never ran: the caller multiplies by the
-- alerts per request.
function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format('{"requests":%d,"errors":%d,"seconds":%.3f,"p50":%.3f,"p99":%.3f}\n',
    summary.requests - e.status, errors, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
