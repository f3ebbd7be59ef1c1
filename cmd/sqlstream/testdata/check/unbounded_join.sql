-- A regular join of two unbounded append-only streams, with no time
-- bound, no changelog key and no state TTL: it keeps every row forever.
CREATE SOURCE impressions (
  ad_id BIGINT, user_id BIGINT, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL 5 SECOND
) WITH (connector = 'kafka', brokers = '127.0.0.1:9092', topic = 'impressions', format = 'json');

CREATE SOURCE clicks (
  ad_id BIGINT, user_id BIGINT, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL 5 SECOND
) WITH (connector = 'kafka', brokers = '127.0.0.1:9092', topic = 'clicks', format = 'json');

CREATE MATERIALIZED VIEW clicked_impressions AS
  SELECT i.ad_id, i.user_id, i.ts AS shown_at, c.ts AS clicked_at
  FROM impressions i
  JOIN clicks c ON i.ad_id = c.ad_id AND i.user_id = c.user_id;
