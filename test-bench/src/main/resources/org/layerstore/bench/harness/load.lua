-- SPDX-License-Identifier: Apache-2.0
-- wrk script of the benchmark harness. Arguments (after "--"): METHOD PATTERN COUNT
-- PATTERN is a string.format pattern with one %d, filled with 0..COUNT-1 in turn, so each
-- connection walks the whole file set. done() prints one JSON line the harness parses.
local requests = {}
local next_index = 1
local thread_count = 0

function setup(thread)
  thread:set("thread_id", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local method, pattern, count = args[1], args[2], tonumber(args[3])
  for i = 0, count - 1 do
    requests[#requests + 1] = wrk.format(method, string.format(pattern, i))
  end
  -- Threads start at different files, so they do not move in lock step over the same file.
  next_index = ((thread_id or 0) * 7919) % count + 1
end

function request()
  local r = requests[next_index]
  next_index = next_index % #requests + 1
  return r
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"bytes":%d,"durationMicros":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latencyMicros":{"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.bytes, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean))
end
