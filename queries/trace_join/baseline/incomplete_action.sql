-- DuckDB batch equivalent of incomplete_action: at the end of the input
-- every trace is complete or timed out, so the LEFT JOINs' NULLs are
-- final.
SELECT q.trace_id, q.process_id, q.step, q.customer_id, q.channel, q.branch_id, q.product,
       q.ts AS request_ts, r.ts AS response_ts, k.ts AS tracking_ts, r.status,
       CASE WHEN r.trace_id IS NULL AND k.trace_id IS NULL THEN 'both'
            WHEN r.trace_id IS NULL THEN 'response'
            ELSE 'tracking' END AS missing
FROM request q
LEFT JOIN response r ON r.trace_id = q.trace_id AND r.ts BETWEEN q.ts AND q.ts + INTERVAL 30 MINUTE
LEFT JOIN tracking k ON k.trace_id = q.trace_id AND k.ts BETWEEN q.ts AND q.ts + INTERVAL 30 MINUTE
WHERE r.trace_id IS NULL OR k.trace_id IS NULL
