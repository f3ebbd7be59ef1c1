-- Nexmark q17: auction statistics report. Per auction and day: how many
-- bids in three price ranges, and the minimum, maximum, average and sum of
-- their prices. An unbounded group aggregation.
--
-- Source: https://github.com/nexmark/nexmark/blob/master/nexmark-flink/src/main/resources/queries/q17.sql
-- (RisingWave's e2e_test/streaming/nexmark/views/q17.slt.part is the same
-- query with to_char). AVG over BIGINT is DOUBLE here (as in DuckDB and
-- RisingWave); Flink's sink declares it BIGINT.
CREATE SOURCE bid (
  auction   BIGINT,
  bidder    BIGINT,
  price     BIGINT,
  channel   VARCHAR,
  url       VARCHAR,
  date_time TIMESTAMP(3),
  extra     VARCHAR,
  WATERMARK FOR date_time AS date_time - INTERVAL 4 SECOND
) WITH (connector = 'datagen', generator = 'nexmark', kind = 'bid', rows = '1000000');

CREATE MATERIALIZED VIEW q17 AS
  SELECT
    auction,
    DATE_FORMAT(date_time, '%Y-%m-%d') AS day,
    COUNT(*) AS total_bids,
    COUNT(*) FILTER (WHERE price < 10000) AS rank1_bids,
    COUNT(*) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bids,
    COUNT(*) FILTER (WHERE price >= 1000000) AS rank3_bids,
    MIN(price) AS min_price,
    MAX(price) AS max_price,
    AVG(price) AS avg_price,
    SUM(price) AS sum_price
  FROM bid
  GROUP BY auction, DATE_FORMAT(date_time, '%Y-%m-%d');
