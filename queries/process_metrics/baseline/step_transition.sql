-- DuckDB batch equivalent of step_transition, recomputed from the request, response
-- and tracking tables and the step_order table (the pipeline's views
-- process_action, step_sequence and step_transition as CTEs;
-- TIMESTAMPDIFF(MICROSECOND, a, b) DIV 1000 of millisecond timestamps is
-- epoch_ms(b) - epoch_ms(a)).
WITH process_action AS (
  SELECT q.trace_id, q.process_id, q.step, q.customer_id, q.channel, q.branch_id, q.product,
         q.ts, r.status, r.latency_ms, k.ts AS tracking_ts
  FROM request q
  LEFT JOIN response r ON r.trace_id = q.trace_id AND r.ts BETWEEN q.ts AND q.ts + INTERVAL 30 MINUTE
  LEFT JOIN tracking k ON k.trace_id = q.trace_id AND k.ts BETWEEN q.ts AND q.ts + INTERVAL 30 MINUTE
),
step_sequence AS (
  SELECT trace_id, process_id, channel, branch_id, product, step, status, ts,
         LAG(step) OVER w AS prev_step,
         LAG(status) OVER w AS prev_status,
         LAG(ts) OVER w AS prev_ts
  FROM process_action
  WINDOW w AS (PARTITION BY process_id ORDER BY ts)
),
step_transition AS (
  SELECT s.trace_id, s.process_id, s.channel, s.branch_id, s.product,
         s.prev_step AS from_step, s.step AS to_step, s.prev_status AS from_status,
         s.prev_ts AS from_ts, s.ts AS to_ts,
         epoch_ms(s.ts) - epoch_ms(s.prev_ts) AS duration_ms,
         f.step_order AS from_order, t.step_order AS to_order,
         t.step_order < f.step_order AS is_rollback
  FROM step_sequence s
  LEFT JOIN step_order f ON f.step = s.prev_step
  LEFT JOIN step_order t ON t.step = s.step
  WHERE s.prev_step IS NOT NULL
)
SELECT * FROM step_transition
