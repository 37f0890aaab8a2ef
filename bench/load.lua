-- wrk script shared by the benchmarks (bench/common.py runs wrk with it and reads the line it prints).
--
-- Settings come from the environment:
--   BENCH_METHOD      GET (default) or POST
--   BENCH_BODY        a body; "{n}" becomes a number no other request of the run has (each thread counts
--                     its own numbers: thread i of T sends i, i+T, i+2T ...)
--   BENCH_LINES       a file of lines; "{line}" in BENCH_BODY becomes the next line of this thread's share
--                     (thread i of T takes lines i, i+T ...; after its last line it starts its share again)
--   BENCH_COUNT       a text whose occurrences in response bodies are counted (e.g. "checked_in")
-- The summary is one line: BENCH {"requests": ..., "seconds": ..., "p50_ms": ..., "statuses": {...}}.

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("index", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

function init(args)
  method = os.getenv("BENCH_METHOD") or "GET"
  template = os.getenv("BENCH_BODY")
  count_text = os.getenv("BENCH_COUNT")
  statuses = {}
  counted = 0
  n = index
  lines = {}
  local file = os.getenv("BENCH_LINES")
  if file then
    local k = 0
    for line in io.lines(file) do
      if k % tonumber(os.getenv("BENCH_THREADS")) == index then
        table.insert(lines, line)
      end
      k = k + 1
    end
  end
  line_at = 0
  headers = {}
  for name, value in pairs(wrk.headers) do -- the -H headers (wrk.format uses only the table it is given)
    headers[name] = value
  end
  if template then
    headers["Content-Type"] = "application/json"
  end
end

function request()
  local body = nil
  if template then
    body = template:gsub("{n}", tostring(n))
    n = n + tonumber(os.getenv("BENCH_THREADS"))
    if #lines > 0 then
      line_at = line_at % #lines + 1
      body = body:gsub("{line}", lines[line_at])
    end
  end
  return wrk.format(method, nil, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if count_text and body and body:find(count_text, 1, true) then
    counted = counted + 1
  end
end

function done(summary, latency, requests)
  local all = {}
  local counted_all = 0
  for _, thread in ipairs(threads) do
    for status, k in pairs(thread:get("statuses")) do
      all[status] = (all[status] or 0) + k
    end
    counted_all = counted_all + thread:get("counted")
  end
  local parts = {}
  for status, k in pairs(all) do
    table.insert(parts, string.format('"%d": %d', status, k))
  end
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p90_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, '
      .. '"socket_errors": %d, "counted": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    counted_all, table.concat(parts, ", ")))
end
