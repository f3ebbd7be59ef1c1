-- A Kafka sink writing plain JSON from an aggregation, which updates its
-- rows: plain JSON cannot carry the retractions.
CREATE SOURCE bid (
  auction BIGINT, price BIGINT
) WITH (connector = 'datagen', generator = 'nexmark', kind = 'bid', rows = '1000');

CREATE MATERIALIZED VIEW top_price AS SELECT auction, MAX(price) AS top FROM bid GROUP BY auction;

CREATE SINK top_price_out FROM top_price
  WITH (connector = 'kafka', brokers = '127.0.0.1:9092', topic = 'top_price', format = 'json');
