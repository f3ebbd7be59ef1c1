-- Process metrics: how customer processes move through their steps.
--
-- A process (a card application, say) goes apply → approve → issue →
-- make_card → activate; each step is one business action logged as a
-- request, a response and a tracking record sharing a trace_id (see
-- queries/trace_join/pipeline.sql for the trace join itself). A step that
-- fails with status 'error' is repeated; a rejected step may send the
-- process back to an earlier step (a rollback: approve → apply after a
-- rejected credit review) or end it.
--
-- This pipeline derives, per process, the sequence of steps (LAG over the
-- process's actions in event-time order), the time between consecutive
-- steps, the rollbacks, and their distributions by channel, product and
-- branch. Which step comes before which is business knowledge, so it lives
-- in a dimension table that business users edit (data/step_order.csv),
-- not in the SQL.
--
--   sqlstream run queries/process_metrics/pipeline.sql --db process.duckdb
--   sqlstream query --db process.duckdb "SELECT * FROM transition_stats ORDER BY transitions DESC"
--   sqlstream query --db process.duckdb "SELECT * FROM process_by_channel"

SET 'checkpoint.interval' = '1s';

-- The three log sources, as in the trace join: one record per trace and
-- kind (PRIMARY KEY, which makes the join below a unique-key join that
-- holds only in-flight traces), out of order by up to a minute for 99% of
-- the records (the rest go to late_<source>).
CREATE SOURCE request (
  trace_id     VARCHAR,
  process_id   VARCHAR,
  step         VARCHAR,
  customer_id  BIGINT,
  channel      VARCHAR,
  branch_id    INT,
  product      VARCHAR,
  ts           TIMESTAMP(3),
  PRIMARY KEY (trace_id),
  WATERMARK FOR ts AS ts - INTERVAL 1 MINUTE
) WITH (connector = 'datagen', generator = 'banklog', kind = 'request', rows = '300000', seed = '11');

CREATE SOURCE response (
  trace_id     VARCHAR,
  status       VARCHAR,
  latency_ms   INT,
  ts           TIMESTAMP(3),
  PRIMARY KEY (trace_id),
  WATERMARK FOR ts AS ts - INTERVAL 1 MINUTE
) WITH (connector = 'datagen', generator = 'banklog', kind = 'response', rows = '300000', seed = '11');

CREATE SOURCE tracking (
  trace_id     VARCHAR,
  event        VARCHAR,
  ts           TIMESTAMP(3),
  PRIMARY KEY (trace_id),
  WATERMARK FOR ts AS ts - INTERVAL 1 MINUTE
) WITH (connector = 'datagen', generator = 'banklog', kind = 'tracking', rows = '300000', seed = '11');

-- The step-order dimension: a DuckDB table loaded from the CSV before the
-- sources start. Joins to it are lookup joins (read when a row arrives).
-- To change which transitions count as rollbacks, edit the file and
-- re-run; nothing in the SQL changes.
CREATE TABLE step_order (
  step       VARCHAR(32) PRIMARY KEY,
  step_order INT,
  step_name  VARCHAR(64),
  stage      VARCHAR(16)
) WITH (connector = 'file', path = 'data/step_order.csv', format = 'csv');

-- Every action of every process: the request, with the response's status
-- and the tracking time when they came within the half-hour timeout (NULL
-- when they did not). LEFT JOINs, so a process's sequence has no holes
-- where a response or tracking record went missing.
CREATE VIEW process_action AS
  SELECT q.trace_id, q.process_id, q.step, q.customer_id, q.channel, q.branch_id, q.product,
         q.ts, r.status, r.latency_ms, k.ts AS tracking_ts
  FROM request q
  LEFT JOIN response r ON r.trace_id = q.trace_id AND r.ts BETWEEN q.ts AND q.ts + INTERVAL 30 MINUTE
  LEFT JOIN tracking k ON k.trace_id = q.trace_id AND k.ts BETWEEN q.ts AND q.ts + INTERVAL 30 MINUTE;

-- Each action with the one before it in its process. OVER orders by event
-- time: a row is emitted once the watermark has passed it, so its LAG is
-- final (no earlier action of the process can still arrive).
CREATE VIEW step_sequence AS
  SELECT trace_id, process_id, channel, branch_id, product, step, status, ts,
         LAG(step) OVER (PARTITION BY process_id ORDER BY ts) AS prev_step,
         LAG(status) OVER (PARTITION BY process_id ORDER BY ts) AS prev_status,
         LAG(ts) OVER (PARTITION BY process_id ORDER BY ts) AS prev_ts
  FROM process_action;

-- Step transitions: from the previous step to this one, with the time
-- between the two requests. A rollback is a transition to a step whose
-- configured order is lower than the previous step's. LEFT lookup joins: a
-- step missing from the dimension keeps its transitions, with NULL orders
-- and is_rollback NULL (unknown), rather than silently losing them.
CREATE MATERIALIZED VIEW step_transition AS
  SELECT s.trace_id, s.process_id, s.channel, s.branch_id, s.product,
         s.prev_step AS from_step, s.step AS to_step, s.prev_status AS from_status,
         s.prev_ts AS from_ts, s.ts AS to_ts,
         TIMESTAMPDIFF(MICROSECOND, s.prev_ts, s.ts) DIV 1000 AS duration_ms,
         f.step_order AS from_order, t.step_order AS to_order,
         t.step_order < f.step_order AS is_rollback
  FROM step_sequence s
  LEFT JOIN step_order f ON f.step = s.prev_step
  LEFT JOIN step_order t ON t.step = s.step
  WHERE s.prev_step IS NOT NULL;

-- The rollbacks alone, for drilling into single processes.
CREATE MATERIALIZED VIEW rollback AS
  SELECT trace_id, process_id, channel, branch_id, product, from_step, to_step, from_status,
         from_ts, to_ts, duration_ms
  FROM step_transition
  WHERE is_rollback;

-- The transition matrix: how often each step follows each other one, and
-- how long it takes.
CREATE MATERIALIZED VIEW transition_stats AS
  SELECT from_step, to_step, COUNT(*) AS transitions,
         COUNT(*) FILTER (WHERE is_rollback) AS rollbacks,
         AVG(duration_ms) AS avg_ms, MIN(duration_ms) AS min_ms, MAX(duration_ms) AS max_ms
  FROM step_transition
  GROUP BY from_step, to_step;

-- Distributions by channel, product and branch: transitions, processes,
-- rollbacks and step durations.
CREATE MATERIALIZED VIEW process_by_channel AS
  SELECT channel, COUNT(*) AS transitions, COUNT(DISTINCT process_id) AS processes,
         COUNT(*) FILTER (WHERE is_rollback) AS rollbacks,
         AVG(duration_ms) AS avg_step_ms, MAX(duration_ms) AS max_step_ms
  FROM step_transition
  GROUP BY channel;

CREATE MATERIALIZED VIEW process_by_product AS
  SELECT product, COUNT(*) AS transitions, COUNT(DISTINCT process_id) AS processes,
         COUNT(*) FILTER (WHERE is_rollback) AS rollbacks,
         AVG(duration_ms) AS avg_step_ms, MAX(duration_ms) AS max_step_ms
  FROM step_transition
  GROUP BY product;

CREATE MATERIALIZED VIEW process_by_branch AS
  SELECT branch_id, COUNT(*) AS transitions, COUNT(DISTINCT process_id) AS processes,
         COUNT(*) FILTER (WHERE is_rollback) AS rollbacks,
         AVG(duration_ms) AS avg_step_ms, MAX(duration_ms) AS max_step_ms
  FROM step_transition
  GROUP BY branch_id;

-- Hourly activity by channel and product, straight from the requests: a
-- tumbling window, emitted once per hour when the watermark closes it.
CREATE MATERIALIZED VIEW actions_per_hour AS
  SELECT window_start, window_end, channel, product, COUNT(*) AS actions,
         COUNT(DISTINCT process_id) AS processes, COUNT(DISTINCT customer_id) AS customers
  FROM TUMBLE(request, ts, INTERVAL 1 HOUR)
  GROUP BY window_start, window_end, channel, product;
