-- DuckDB batch equivalent of action: the same three-way join over the
-- request, response and tracking tables (late records excluded, as in
-- the engine's sources).
SELECT q.trace_id, q.process_id, q.step, q.customer_id, q.channel, q.branch_id, q.product,
       q.amount,
       q.ts AS request_ts, r.ts AS response_ts, k.ts AS tracking_ts,
       r.status, r.latency_ms, k.page, k.event
FROM request q
JOIN response r ON r.trace_id = q.trace_id AND r.ts BETWEEN q.ts AND q.ts + INTERVAL 30 MINUTE
JOIN tracking k ON k.trace_id = q.trace_id AND k.ts BETWEEN q.ts AND q.ts + INTERVAL 30 MINUTE
