-- wrk script of bench/scale_bench.py: one JSON line with the figures the table needs (latencies in µs).
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "max_us": %d, ' ..
    '"status_errors": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency.max,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
