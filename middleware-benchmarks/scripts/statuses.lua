-- wrk script for external-load.py: counts the status of every response, per thread, and prints
-- them with the run's totals in lines the driver parses:
--   RESULT <requests> <duration µs> <connect errors> <read> <write> <timeout>
--   STATUS <status> <count>
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\n", summary.requests, summary.duration,
    e.connect, e.read, e.write, e.timeout))
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("STATUS %d %d\n", status, count))
  end
end
