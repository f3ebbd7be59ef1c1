-- A clean pipeline over unbounded input: every stateful operator is
-- bounded by the watermark or by a changelog's live rows.
CREATE SOURCE bid (
  auction BIGINT, bidder BIGINT, price BIGINT, date_time TIMESTAMP(3),
  WATERMARK FOR date_time AS date_time - INTERVAL 4 SECOND
) WITH (connector = 'kafka', brokers = '127.0.0.1:9092', topic = 'bid', format = 'json');

CREATE SOURCE auction (
  id BIGINT, seller BIGINT, category BIGINT, updated_at TIMESTAMP(3),
  PRIMARY KEY (id)
) WITH (connector = 'kafka', brokers = '127.0.0.1:9092', topic = 'auction', format = 'debezium-json');

CREATE MATERIALIZED VIEW bids_per_window AS
  SELECT auction, window_start, window_end, COUNT(*) AS bids, MAX(price) AS top
  FROM HOP(bid, date_time, INTERVAL 2 SECOND, INTERVAL 10 SECOND)
  GROUP BY auction, window_start, window_end;

CREATE MATERIALIZED VIEW auctions_per_category AS
  SELECT category, COUNT(*) AS auctions FROM auction GROUP BY category;

CREATE SINK auctions_out FROM auctions_per_category
  WITH (connector = 'kafka', brokers = '127.0.0.1:9092', topic = 'auctions', format = 'debezium-json');
