-- A Kafka source without its topic.
CREATE SOURCE clicks (
  user_id BIGINT, url VARCHAR, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL 5 SECOND
) WITH (connector = 'kafka', brokers = '127.0.0.1:9092', format = 'json', 'scan.bounded' = 'latest');

CREATE MATERIALIZED VIEW clicks_per_minute AS
  SELECT window_start, window_end, COUNT(*) AS clicks
  FROM TUMBLE(clicks, ts, INTERVAL 1 MINUTE)
  GROUP BY window_start, window_end;
