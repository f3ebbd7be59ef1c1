-- A GROUP BY over an unbounded stream: one group per channel, kept
-- forever. Fine when channels are few, so only a warning.
CREATE SOURCE bid (
  auction BIGINT, channel VARCHAR, price BIGINT, date_time TIMESTAMP(3),
  WATERMARK FOR date_time AS date_time - INTERVAL 4 SECOND
) WITH (connector = 'kafka', brokers = '127.0.0.1:9092', topic = 'bid', format = 'json');

CREATE MATERIALIZED VIEW bids_per_channel AS
  SELECT channel, COUNT(*) AS bids, MAX(price) AS top FROM bid GROUP BY channel;
