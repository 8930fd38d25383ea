-- SPDX-License-Identifier: Apache-2.0
-- wrk: requests rotate over the paths in WRK_PATHS (comma-separated), with the test user's credentials in
-- WRK_AUTH; done() prints one line the test parses.
local paths = {}
for p in string.gmatch(os.getenv("WRK_PATHS"), "[^,]+") do
  paths[#paths + 1] = p
end
local counter = 0

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1], { ["Authorization"] = "Basic " .. os.getenv("WRK_AUTH") })
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("wrk-summary requests=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout))
end
