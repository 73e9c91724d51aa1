-- wrk script for scripts/load-test.sh: every connection cycles through the dashboard's and the
-- API's read routes (pages with charts, lists, an event with its documents, search, JSON).
local paths = {
  "/", "/heatmap", "/timeline", "/network", "/agreements", "/events?pair=KAZ,UZB",
  "/dyads/KAZ-UZB", "/events/1", "/documents/1", "/search?q=hamkorlik", "/review",
  "/api/events?per_page=50", "/api/stats", "/api/search?q=water", "/api/documents",
  "/api/review/queue", "/api/events/2", "/api/openapi.json",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.1f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f "
    .. "socket_errors=%d non200=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
