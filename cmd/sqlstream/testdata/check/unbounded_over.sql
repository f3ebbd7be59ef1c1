-- Deduplication by a unique id over an unbounded stream: OVER keeps a
-- partition per id forever, and state.ttl does not apply to OVER.
CREATE SOURCE events (
  event_id VARCHAR(36), payload VARCHAR, ts TIMESTAMP(3),
  PRIMARY KEY (event_id),
  WATERMARK FOR ts AS ts - INTERVAL 10 SECOND
) WITH (connector = 'kafka', brokers = '127.0.0.1:9092', topic = 'events', format = 'json');

CREATE MATERIALIZED VIEW first_events AS
  SELECT event_id, payload, ts FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY ts) AS rn FROM events) AS d
  WHERE rn = 1;
