-- An option with a value the connector does not accept.
CREATE SOURCE clicks (
  user_id BIGINT, url VARCHAR, ts TIMESTAMP(3)
) WITH (connector = 'kafka', brokers = '127.0.0.1:9092', topic = 'clicks', format = 'json',
        'scan.startup.mode' = 'yesterday', 'scan.bounded' = 'latest');

CREATE MATERIALIZED VIEW clicks_copy AS SELECT user_id, url, ts FROM clicks;
